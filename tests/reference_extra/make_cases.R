# SPDX-License-Identifier: MIT
#
# Generate an independent set of reference cases for tally, in the format of
# shared/reference/cases (a folder per case with input.csv and case.json),
# from R's datasets package, MASS and a few seeded simulations.  Each case
# states in its "source" field the R calls that produced its numbers; the
# conventions and tolerances are those of shared/reference/README.md.
#
#   Rscript tests/reference_extra/make_cases.R
#
# writes tests/reference_extra/cases/<name>/ (the folder is rebuilt from
# scratch).  Deterministic: the same R and package versions write the same
# bytes.  Every data file is written first and read back, and the numbers are
# computed from what was read, so they refer to exactly the data tally reads.

suppressPackageStartupMessages({
    library(stats)
    library(forecast)
    library(MASS)
    library(sandwich)
    library(lmtest)
    library(strucchange)
})

options(warn = 1)

script_dir <- local({
    a <- commandArgs(trailingOnly = FALSE)
    f <- sub("^--file=", "", a[grep("^--file=", a)])
    if (length(f) == 1) dirname(normalizePath(f)) else getwd()
})
cases_dir <- file.path(script_dir, "cases")
# REFX_ONLY=REGEX (environment) regenerates only the cases whose name
# matches, leaving the others in place (for working on one kind); without
# it the folder is rebuilt from scratch.
only <- Sys.getenv("REFX_ONLY", "")
if (only == "") unlink(cases_dir, recursive = TRUE)
dir.create(cases_dir, showWarnings = FALSE)
want <- function(name) only == "" || grepl(only, name)

versions <- sprintf(paste0("R %s.%s; forecast %s; MASS %s; sandwich %s; ",
                           "lmtest %s; strucchange %s"),
                    R.version$major, R.version$minor,
                    packageVersion("forecast"), packageVersion("MASS"),
                    packageVersion("sandwich"), packageVersion("lmtest"),
                    packageVersion("strucchange"))

## ---------------------------------------------------------------- writing

# A number as JSON: 17 significant digits (round trip), integers plainly.
json_num <- function(x) {
    if (is.null(x) || length(x) != 1 || is.na(x)) return("null")
    if (is.logical(x)) return(if (x) "true" else "false")
    if (!is.finite(x)) return("null")
    if (x == round(x) && abs(x) < 1e15) return(sprintf("%.0f", x))
    s <- sprintf("%.17g", x)
    # Shorter form when it reads back to the same double.
    for (d in 15:16) {
        t <- sprintf(paste0("%.", d, "g"), x)
        if (as.numeric(t) == x) { s <- t; break }
    }
    s
}
json_str <- function(s) {
    s <- gsub("\\\\", "\\\\\\\\", s)
    s <- gsub("\"", "\\\\\"", s)
    paste0("\"", s, "\"")
}
json_val <- function(x) {
    if (is.character(x)) json_str(x) else json_num(x)
}

# One check.  Strings and booleans compare exactly.
ck <- function(path, expected, rtol = NULL, atol = NULL, at_least = FALSE,
               at_most = FALSE) {
    list(path = path, expected = expected, rtol = rtol, atol = atol,
         at_least = at_least, at_most = at_most)
}
ck_json <- function(c) {
    parts <- c(paste0("\"path\":", json_str(c$path)),
               paste0("\"expected\":", json_val(c$expected)))
    if (!is.null(c$rtol)) parts <- c(parts, paste0("\"rtol\":", json_num(c$rtol)))
    if (!is.null(c$atol)) parts <- c(parts, paste0("\"atol\":", json_num(c$atol)))
    if (isTRUE(c$at_least)) parts <- c(parts, "\"at_least\":true")
    if (isTRUE(c$at_most)) parts <- c(parts, "\"at_most\":true")
    paste0("    {", paste(parts, collapse = ","), "}")
}

all_cases <- character()

write_case <- function(name, args, source, checks) {
    stopifnot(!(name %in% all_cases))
    all_cases <<- c(all_cases, name)
    dir <- file.path(cases_dir, name)
    stopifnot(file.exists(file.path(dir, "input.csv")))
    lines <- c("{",
               paste0("  \"name\": ", json_str(name), ","),
               paste0("  \"args\": [",
                      paste(vapply(args, json_str, ""), collapse = ", "), "],"),
               paste0("  \"source\": ", json_str(paste0(source, ". ", versions)),
                      ","),
               "  \"checks\": [",
               paste(vapply(checks, ck_json, ""), collapse = ",\n"),
               "  ]",
               "}")
    writeLines(lines, file.path(dir, "case.json"), useBytes = TRUE)
    cat(sprintf("%-44s %3d checks\n", name, length(checks)))
}

# Numbers in a CSV: integers plainly, others with 15 significant digits.
csv_num <- function(x) {
    out <- ifelse(is.na(x), "NA",
                  ifelse(x == round(x) & abs(x) < 1e15, sprintf("%.0f", x),
                         sprintf("%.15g", x)))
    out
}

# Write a data frame (first column may be character periods) and read it back.
write_input <- function(name, df) {
    dir <- file.path(cases_dir, name)
    dir.create(dir, showWarnings = FALSE)
    cols <- lapply(df, function(v) if (is.numeric(v)) csv_num(v) else v)
    body <- do.call(paste, c(cols, sep = ","))
    writeLines(c(paste(names(df), collapse = ","), body),
               file.path(dir, "input.csv"))
    back <- read.csv(file.path(dir, "input.csv"), colClasses = c(
        if (is.character(df[[1]])) "character" else NA,
        rep(NA, ncol(df) - 1)), stringsAsFactors = FALSE)
    back
}

# Another case on the same data file.
copy_input <- function(from, to) {
    dir.create(file.path(cases_dir, to), showWarnings = FALSE)
    stopifnot(file.copy(file.path(cases_dir, from, "input.csv"),
                        file.path(cases_dir, to, "input.csv"),
                        overwrite = TRUE))
}

# Periods of a ts as tally writes them.
periods_of <- function(tt, freq) {
    tt <- as.numeric(tt)
    yr <- floor(tt + 1e-6)
    sub <- round((tt - yr) * freq) + 1
    if (freq == 12) sprintf("%04d-%02d", yr, sub)
    else if (freq == 4) sprintf("%04d-Q%d", yr, sub)
    else sprintf("%04d", yr)
}
period_col <- function(freq) {
    if (freq == 12) "month" else if (freq == 4) "quarter" else "year"
}

# Write a series file from ts columns (same start and frequency) and return
# them read back as ts objects.
write_series <- function(name, ...) {
    cols <- list(...)
    y1 <- cols[[1]]
    fr <- frequency(y1)
    df <- data.frame(p = periods_of(time(y1), fr), stringsAsFactors = FALSE)
    names(df)[1] <- period_col(fr)
    for (k in names(cols)) df[[k]] <- as.numeric(cols[[k]])
    back <- write_input(name, df)
    out <- list()
    for (k in names(cols)) out[[k]] <- ts(back[[k]], start = start(y1),
                                            frequency = fr)
    out$period <- back[[1]]
    out
}

sb <- Seatbelts

# Quarterly sums of a monthly ts that starts in January.
qsum <- function(x) ts(colSums(matrix(as.numeric(x), nrow = 3)),
                       start = c(start(x)[1], (start(x)[2] - 1) %/% 3 + 1),
                       frequency = 4)

# Annual ts from a plain vector.
annual <- function(x, start) ts(as.numeric(x), start = start, frequency = 1)

## ------------------------------------------------------ model-fit checks

# Tolerances of the reference README.
tol_glm <- list(est = 1e-6, se = 1e-6, p = 1e-4, dev = 1e-6, ll = 1e-6,
                theta = NULL)
tol_nb <- list(est = 1e-5, se = 1e-4, p = 1e-3, dev = 1e-4, ll = 1e-6,
               theta = 1e-4)

term_name <- function(s) ifelse(s == "(Intercept)", "intercept", s)

# Coefficient table as tally prints it: estimate, std_error, statistic,
# p_value, conf_low, conf_high, following lmtest::coeftest / coefci with the
# covariance V (classical: vcov(fit)) and t(df) or z.
coef_table <- function(fit, V, use_t, df) {
    b <- coef(fit)
    se <- sqrt(diag(V))
    st <- b / se
    if (use_t) {
        p <- 2 * pt(-abs(st), df)
        q <- qt(0.975, df)
    } else {
        p <- 2 * pnorm(-abs(st))
        q <- qnorm(0.975)
    }
    data.frame(term = term_name(names(b)), estimate = b, std_error = se,
               statistic = st, p_value = p, conf_low = b - q * se,
               conf_high = b + q * se, stringsAsFactors = FALSE)
}

# Checks of a fit: family, n, df_residual, coefficients, deviance,
# null_deviance, dispersion, loglik/aic/bic (not quasipoisson), theta.
fit_checks <- function(fit, family, V = NULL, ols_extra = TRUE) {
    tol <- if (family == "negbin") tol_nb else tol_glm
    n <- length(fit$residuals)
    dfr <- fit$df.residual
    robust <- !is.null(V)
    if (is.null(V)) V <- vcov(fit)
    use_t <- family == "gaussian" || (family == "quasipoisson" && !robust)
    tab <- coef_table(fit, V, use_t, dfr)
    # Cross-check with lmtest.
    ct <- coeftest(fit, vcov. = V, df = if (use_t) dfr else Inf)
    stopifnot(isTRUE(all.equal(unname(ct[, 4]), unname(tab$p_value),
                               tolerance = 1e-10)))
    ci <- coefci(fit, vcov. = V, df = if (use_t) dfr else Inf)
    stopifnot(isTRUE(all.equal(unname(ci[, 1]), unname(tab$conf_low),
                               tolerance = 1e-10)))
    out <- list(ck("family", family), ck("n", n), ck("df_residual", dfr))
    for (i in seq_len(nrow(tab))) {
        t <- tab$term[i]
        pre <- paste0("coefficients[term=", t, "].")
        out <- c(out, list(
            ck(paste0(pre, "estimate"), tab$estimate[i], tol$est, 1e-10),
            ck(paste0(pre, "std_error"), tab$std_error[i], tol$se, 1e-10),
            ck(paste0(pre, "statistic"), tab$statistic[i], tol$se, 1e-10),
            ck(paste0(pre, "p_value"), tab$p_value[i], tol$p, 1e-12),
            ck(paste0(pre, "conf_low"), tab$conf_low[i], tol$se, 1e-10),
            ck(paste0(pre, "conf_high"), tab$conf_high[i], tol$se, 1e-10)))
    }
    if (family == "gaussian") {
        # Weighted sums of squares with prior weights (deviance(lm)).
        w <- if (is.null(fit$weights)) rep(1, n) else fit$weights
        rss <- sum(w * fit$residuals^2)
        stopifnot(isTRUE(all.equal(rss, deviance(fit), tolerance = 1e-12)))
        disp <- rss / dfr
        out <- c(out, list(ck("deviance", rss, 1e-6, 1e-9),
                           ck("null_deviance", {
                               y <- fit$model[[1]]
                               if (attr(fit$terms, "intercept") == 1)
                                   sum(w * (y - weighted.mean(y, w))^2)
                               else sum(w * y^2)
                           }, 1e-6, 1e-9),
                           ck("dispersion", disp, 1e-6, 1e-12)))
        ll <- as.numeric(logLik(fit))
        out <- c(out, list(ck("loglik", ll, 1e-6, 1e-9),
                           ck("aic", AIC(fit), 1e-6, 1e-9),
                           ck("bic", BIC(fit), 1e-6, 1e-9)))
        if (ols_extra && is.null(fit$weights)) {
            s <- summary(fit)
            out <- c(out, list(
                ck("r_squared", s$r.squared, 1e-6, 1e-12),
                ck("adj_r_squared", s$adj.r.squared, 1e-6, 1e-12),
                ck("sigma", s$sigma, 1e-6, 1e-12)))
            if (!is.null(s$fstatistic)) {
                f <- s$fstatistic
                out <- c(out, list(
                    ck("f_statistic", unname(f[1]), 1e-6, 1e-10),
                    ck("f_p_value", unname(pf(f[1], f[2], f[3],
                                              lower.tail = FALSE)),
                       1e-4, 1e-12)))
            }
        }
    } else {
        out <- c(out, list(ck("deviance", fit$deviance, tol$dev, 1e-9),
                           ck("null_deviance", fit$null.deviance, tol$dev,
                              1e-9)))
        if (family == "quasipoisson") {
            out <- c(out, list(ck("dispersion", summary(fit)$dispersion,
                                  1e-6, 1e-12)))
        } else {
            out <- c(out, list(ck("dispersion", 1, 0, 1e-12)))
            ll <- as.numeric(logLik(fit))
            p <- length(coef(fit))
            k <- p + (family == "negbin")
            out <- c(out, list(
                ck("loglik", ll, tol$ll, 1e-9),
                ck("aic", -2 * ll + 2 * k, tol$ll, 1e-9),
                ck("bic", -2 * ll + log(n) * k, tol$ll, 1e-9)))
            if (family == "negbin") {
                out <- c(out, list(ck("theta", fit$theta, tol$theta, 0)))
            }
        }
    }
    out
}

ctl <- glm.control(epsilon = 1e-13, maxit = 100)
ctl_nb <- glm.control(epsilon = 1e-12, maxit = 100)

# NB2 by joint maximum likelihood.  MASS::glm.nb alternates IRLS for beta and
# Newton for theta and often stops with "alternation limit reached" at the
# tight epsilon = 1e-12; so its theta is polished here by solving the profile
# score equation d l / d theta = 0 (at beta-hat(theta), IRLS with epsilon
# 1e-13) with uniroot to 1e-12 relative, and the final glm is refitted at that
# theta.  The object is given glm.nb's class so that vcov() and logLik() are
# summary.negbin's (dispersion 1) and theta counts in the likelihood's df.
nb_fit <- function(f, data, w = NULL) {
    data$.w2 <- if (is.null(w)) 1 else w
    g0 <- suppressWarnings(glm.nb(f, data = data, weights = .w2,
                                  control = ctl_nb))
    fit_at <- function(th) glm(f, data = data, weights = .w2,
                               family = negative.binomial(th),
                               control = ctl, start = coef(g0))
    score <- function(lth) {
        th <- exp(lth)
        fit <- fit_at(th)
        mu <- fitted(fit)
        y <- fit$y
        sum(data$.w2 * (digamma(y + th) - digamma(th) + log(th) + 1 -
                        log(th + mu) - (y + th) / (th + mu))) * th
    }
    l0 <- log(g0$theta)
    r <- uniroot(score, c(l0 - 0.5, l0 + 0.5), tol = 1e-13, maxiter = 200)
    th <- exp(r$root)
    stopifnot(abs(th / g0$theta - 1) < 1e-3)
    fit <- fit_at(th)
    ll <- sum(data$.w2 * dnbinom(fit$y, size = th, mu = fitted(fit), log = TRUE))
    fit$theta <- th
    fit$SE.theta <- g0$SE.theta
    fit$twologlik <- 2 * ll
    fit$glmnb_theta <- g0$theta
    class(fit) <- c("negbin", "glm", "lm")
    stopifnot(isTRUE(all.equal(as.numeric(logLik(fit)), ll, tolerance = 1e-12)),
              attr(logLik(fit), "df") == length(coef(fit)) + 1)
    fit
}

fit_family <- function(formula, data, family, offset = NULL, weights = NULL) {
    data$.off <- if (is.null(offset)) 0 else offset
    data$.w <- if (is.null(weights)) 1 else weights
    if (family == "gaussian") {
        if (is.null(weights)) lm(formula, data = data)
        else lm(formula, data = data, weights = .w)
    } else if (family == "negbin") {
        f <- update(formula, . ~ . + offset(.off))
        nb_fit(f, data, if (is.null(weights)) NULL else data$.w)
    } else {
        fam <- if (family == "poisson") poisson() else quasipoisson()
        if (is.null(weights)) glm(formula, data = data, family = fam,
                                  offset = .off, control = ctl)
        else glm(formula, data = data, family = fam, offset = .off,
                 weights = .w, control = ctl)
    }
}

vcov_of <- function(fit, robust = NULL, hac = NULL) {
    if (!is.null(hac)) {
        NeweyWest(fit, lag = hac, prewhite = FALSE, adjust = FALSE)
    } else if (!is.null(robust)) {
        vcovHC(fit, type = toupper(robust))
    } else {
        NULL
    }
}

vcov_text <- function(robust, hac) {
    if (!is.null(hac)) sprintf(paste0("; covariance sandwich::NeweyWest(fit, ",
                                      "lag = %d, prewhite = FALSE, adjust = FALSE)",
                                      ", tests lmtest::coeftest/coefci"), hac)
    else if (!is.null(robust)) sprintf(paste0("; covariance sandwich::vcovHC(",
                                              "fit, type = \"%s\"), tests ",
                                              "lmtest::coeftest/coefci"),
                                       toupper(robust))
    else ""
}

## ================================================================ regress

regress_case <- function(name, df, y, xs, family = "gaussian",
                         intercept = TRUE, offset = NULL, exposure = NULL,
                         weights = NULL, robust = NULL, hac = NULL,
                         what = "") {
    if (!want(name)) return(invisible(NULL))
    d <- write_input(name, df)
    rhs <- if (length(xs)) paste(xs, collapse = " + ") else "1"
    if (!intercept) rhs <- paste(rhs, "- 1")
    f <- as.formula(paste(y, "~", rhs))
    off <- if (!is.null(offset)) d[[offset]]
           else if (!is.null(exposure)) log(d[[exposure]]) else NULL
    w <- if (!is.null(weights)) d[[weights]] else NULL
    fit <- fit_family(f, d, family, off, w)
    V <- vcov_of(fit, robust, hac)
    args <- c("regress", "input.csv", "--y", y)
    if (length(xs)) args <- c(args, "--x", paste(xs, collapse = ","))
    if (family != "gaussian") args <- c(args, "--family", family)
    if (!intercept) args <- c(args, "--no-intercept")
    if (!is.null(offset)) args <- c(args, "--offset", offset)
    if (!is.null(exposure)) args <- c(args, "--exposure", exposure)
    if (!is.null(weights)) args <- c(args, "--weights", weights)
    if (!is.null(robust)) args <- c(args, "--robust", robust)
    if (!is.null(hac)) args <- c(args, "--hac", as.character(hac))
    args <- c(args, "--format", "json")
    call <- switch(family,
        gaussian = "lm(%s%s)",
        poisson = "glm(%s, family = poisson%s, control = glm.control(epsilon = 1e-13, maxit = 100))",
        quasipoisson = "glm(%s, family = quasipoisson%s, control = glm.control(epsilon = 1e-13, maxit = 100))",
        negbin = "MASS::glm.nb(%s%s, control = glm.control(epsilon = 1e-12, maxit = 100)), theta polished by uniroot on the profile score and the glm refitted at it with negative.binomial(theta), epsilon 1e-13 (vcov as summary.negbin, dispersion 1)")
    extra <- paste0(
        if (!is.null(offset)) sprintf(", offset = %s", offset) else "",
        if (!is.null(exposure)) sprintf(", offset = log(%s)", exposure) else "",
        if (!is.null(weights)) sprintf(", weights = %s", weights) else "")
    src <- paste0(what, sprintf(call, deparse(f), extra),
                  vcov_text(robust, hac),
                  "; Wald intervals estimate +/- q*se (t(df_residual) for ",
                  "gaussian and classical quasipoisson, else normal)")
    checks <- fit_checks(fit, family, V,
                         ols_extra = is.null(robust) && is.null(hac))
    write_case(name, args, src, checks)
}

# mtcars: several regressors.
mt <- data.frame(model = gsub(" ", "_", rownames(mtcars)), mtcars,
                 stringsAsFactors = FALSE)
mt <- mt[, c("mpg", "cyl", "disp", "hp", "drat", "wt", "qsec", "vs", "am",
             "gear", "carb")]
regress_case("mtcars-ols", mt, "mpg", c("wt", "hp", "qsec", "am"),
             what = "y and x from R datasets::mtcars; ")
regress_case("mtcars-ols-hc1", mt, "mpg", c("wt", "hp", "disp"),
             robust = "hc1", what = "R datasets::mtcars; ")

# swiss: through the origin (uncentred R^2, F on all terms).
sw <- swiss
names(sw) <- c("Fertility", "Agriculture", "Examination", "Education",
               "Catholic", "InfantMortality")
regress_case("swiss-ols-nointercept", sw, "Fertility",
             c("Agriculture", "Education", "Catholic", "InfantMortality"),
             intercept = FALSE, what = "R datasets::swiss; ")

# stackloss: HC3 and HC0.
sl <- stackloss
names(sl) <- c("AirFlow", "WaterTemp", "AcidConc", "StackLoss")
regress_case("stackloss-ols-hc3", sl, "StackLoss",
             c("AirFlow", "WaterTemp", "AcidConc"), robust = "hc3",
             what = "R datasets::stackloss; ")
regress_case("stackloss-ols-hc0-nointercept", sl, "StackLoss",
             c("AirFlow", "WaterTemp"), robust = "hc0", intercept = FALSE,
             what = "R datasets::stackloss; ")

# freeny (quarterly revenue): HAC with lag 3.
fr <- data.frame(y = as.numeric(freeny$y),
                 lagrev = freeny$lag.quarterly.revenue,
                 price = freeny$price.index, income = freeny$income.level,
                 market = freeny$market.potential)
regress_case("freeny-ols-hac3", fr, "y", c("lagrev", "price", "income",
                                           "market"),
             hac = 3, what = "R datasets::freeny (rows in time order); ")

# Weighted least squares (prior weights).
regress_case("mtcars-wls-weights", data.frame(mt, w = mt$cyl / 2), "mpg",
             c("wt", "hp"), weights = "w",
             what = "R datasets::mtcars, weights w = cyl/2; ")

# MASS::Insurance: claims with log(Holders) exposure, numeric dummies.
ins <- MASS::Insurance
insd <- data.frame(Claims = ins$Claims, Holders = ins$Holders,
                   logHolders = log(ins$Holders),
                   District2 = as.numeric(ins$District == "2"),
                   District3 = as.numeric(ins$District == "3"),
                   District4 = as.numeric(ins$District == "4"),
                   Group = as.numeric(ins$Group),
                   Age = as.numeric(ins$Age))
regress_case("insurance-poisson-exposure", insd, "Claims",
             c("District2", "District3", "District4", "Group", "Age"),
             family = "poisson", exposure = "Holders",
             what = paste0("MASS::Insurance (District dummies, Group and Age ",
                           "as their level numbers 1..4); "))
regress_case("insurance-quasipoisson-offset", insd, "Claims",
             c("District4", "Group", "Age"), family = "quasipoisson",
             offset = "logHolders",
             what = "MASS::Insurance, logHolders = log(Holders); ")
regress_case("insurance-poisson-offset-hc0", insd, "Claims",
             c("Group", "Age"), family = "poisson", offset = "logHolders",
             robust = "hc0", what = "MASS::Insurance; ")

# warpbreaks: quasipoisson and negbin with dummies.
wb <- data.frame(breaks = warpbreaks$breaks,
                 woolB = as.numeric(warpbreaks$wool == "B"),
                 tensionM = as.numeric(warpbreaks$tension == "M"),
                 tensionH = as.numeric(warpbreaks$tension == "H"))
regress_case("warpbreaks-quasipoisson", wb, "breaks",
             c("woolB", "tensionM", "tensionH"), family = "quasipoisson",
             what = "R datasets::warpbreaks, dummies for wool B and tension M, H; ")
regress_case("warpbreaks-negbin", wb, "breaks",
             c("woolB", "tensionM", "tensionH"), family = "negbin",
             what = "R datasets::warpbreaks; ")

# quine: absence days, negative binomial (Venables & Ripley's example).
qn <- MASS::quine
qd <- data.frame(Days = qn$Days, EthN = as.numeric(qn$Eth == "N"),
                 SexM = as.numeric(qn$Sex == "M"),
                 AgeF1 = as.numeric(qn$Age == "F1"),
                 AgeF2 = as.numeric(qn$Age == "F2"),
                 AgeF3 = as.numeric(qn$Age == "F3"),
                 LrnSL = as.numeric(qn$Lrn == "SL"))
regress_case("quine-negbin", qd, "Days",
             c("EthN", "SexM", "AgeF1", "AgeF2", "AgeF3", "LrnSL"),
             family = "negbin",
             what = "MASS::quine with dummies (baselines Eth A, Sex F, Age F0, Lrn AL); ")
regress_case("quine-negbin-hac2", qd, "Days", c("EthN", "SexM", "LrnSL"),
             family = "negbin", hac = 2, what = "MASS::quine; ")

# discoveries: Poisson on a quadratic in year, HAC.
disc <- data.frame(year = 1860:1959, t = (1:100) / 10,
                   t2 = ((1:100) / 10)^2,
                   discoveries = as.numeric(discoveries))
regress_case("discoveries-poisson-hac4", disc, "discoveries", c("t", "t2"),
             family = "poisson", hac = 4,
             what = "R datasets::discoveries, t = (1:100)/10; ")
regress_case("discoveries-quasipoisson-hac4", disc, "discoveries",
             c("t", "t2"), family = "quasipoisson", hac = 4,
             what = "R datasets::discoveries; quasipoisson with HAC: z tests as coeftest on a glm; ")
regress_case("warpbreaks-poisson-hc3", wb, "breaks",
             c("woolB", "tensionM", "tensionH"), family = "poisson",
             robust = "hc3",
             what = "R datasets::warpbreaks; HC3 with the glm hat values; ")
regress_case("quine-negbin-hc1", qd, "Days", c("EthN", "AgeF3", "LrnSL"),
             family = "negbin", robust = "hc1",
             what = "MASS::quine; HC1 of the glm.nb fit at theta-hat; ")

## ============================================================ trend / its

# Design of trend/its as the reference README defines it: time = 1..n,
# level_j = (t >= b_j), slope_j = max(0, t - b_j + 1), calendar dummies
# (January / Q1 baseline) or forecast::fourier terms (sinpi/cospi; the sine
# is left out when 2k = m).
ts_design <- function(y, breaks = character(), change = "level+slope",
                      season = "none", periods) {
    n <- length(y)
    fr <- frequency(y)
    t <- seq_len(n)
    X <- data.frame(time = t)
    bidx <- match(breaks, periods)
    stopifnot(!anyNA(bidx))
    o <- order(bidx)
    bidx <- bidx[o]
    breakcols <- character()
    for (j in seq_along(bidx)) {
        suffix <- if (length(bidx) > 1) as.character(j) else ""
        if (grepl("level", change)) {
            nm <- paste0("level", suffix)
            X[[nm]] <- as.numeric(t >= bidx[j])
            breakcols <- c(breakcols, nm)
        }
        if (grepl("slope", change)) {
            nm <- paste0("slope", suffix)
            X[[nm]] <- pmax(0, t - bidx[j] + 1)
            breakcols <- c(breakcols, nm)
        }
    }
    if (season == "dummies") {
        cyc <- cycle(y)
        lab <- if (fr == 12) "month" else "quarter"
        for (k in 2:fr) X[[paste0(lab, k)]] <- as.numeric(cyc == k)
    } else if (grepl("^fourier:", season)) {
        K <- as.integer(sub("fourier:", "", season))
        for (k in seq_len(K)) {
            if (2 * k != fr) X[[paste0("sin", k)]] <- sinpi(2 * k * t / fr)
            X[[paste0("cos", k)]] <- cospi(2 * k * t / fr)
        }
        # Same columns as forecast::fourier.
        F <- fourier(y, K = K)
        stopifnot(ncol(F) == ncol(X) - 1 - length(breakcols),
                  max(abs(F - as.matrix(X[, -(1:(1 + length(breakcols))),
                                           drop = FALSE]))) < 1e-12)
    }
    list(X = X, breakcols = breakcols, first = if (length(bidx)) bidx[1] else NA)
}

# Counterfactual (break terms set to 0) from the first break to the end, and
# the cumulative observed - counterfactual, as docs/its.md defines them:
# mean exp(x0'b + o), interval exp(x0'b + o +/- q se(x0'b)); cumulative
# delta method on log S, S = sum mu0_t, se(log S) = sqrt(g'Vg)/S with
# g = sum mu0_t x0_t; limits observed - S exp(+/- q se).  Gaussian: identity.
counterfactual_checks <- function(fit, X, breakcols, first, y, periods,
                                  family, V, q, tol, offset) {
    Xm <- cbind(intercept = 1, as.matrix(X))
    X0 <- Xm
    X0[, breakcols] <- 0
    b <- coef(fit)
    stopifnot(all(term_name(names(b)) == colnames(X0)))
    idx <- first:length(y)
    X0p <- X0[idx, , drop = FALSE]
    eta <- drop(X0p %*% b) + (if (is.null(offset)) 0 else offset[idx])
    se <- sqrt(rowSums((X0p %*% V) * X0p))
    if (family == "gaussian") {
        mu <- eta; lo <- eta - q * se; hi <- eta + q * se
        S <- sum(mu)
        g <- colSums(X0p)
        sdS <- sqrt(drop(t(g) %*% V %*% g))
        O <- sum(y[idx])
        cum <- c(O - S, O - (S + q * sdS), O - (S - q * sdS))
    } else {
        mu <- exp(eta); lo <- exp(eta - q * se); hi <- exp(eta + q * se)
        S <- sum(mu)
        g <- colSums(mu * X0p)
        seL <- sqrt(drop(t(g) %*% V %*% g)) / S
        O <- sum(y[idx])
        cum <- c(O - S, O - S * exp(q * seL), O - S * exp(-q * seL))
    }
    out <- list()
    sel <- unique(c(1, 2, ceiling(length(idx) / 2), length(idx)))
    for (i in sel) {
        pre <- sprintf("counterfactual[%d].", i - 1)
        out <- c(out, list(
            ck(paste0(pre, "period"), periods[idx[i]]),
            ck(paste0(pre, "mean"), mu[i], tol, 1e-10),
            ck(paste0(pre, "conf_low"), lo[i], tol, 1e-10),
            ck(paste0(pre, "conf_high"), hi[i], tol, 1e-10)))
    }
    out <- c(out, list(ck("counterfactual.length", length(idx)),
                       ck("cumulative.estimate", cum[1], tol, 1e-8),
                       ck("cumulative.conf_low", cum[2], tol, 1e-8),
                       ck("cumulative.conf_high", cum[3], tol, 1e-8)))
    out
}

ts_case <- function(name, cmd, s, value, family = "gaussian",
                    season = "none", breaks = character(),
                    change = "level+slope", offset = NULL, exposure = NULL,
                    robust = NULL, hac = NULL, cf = FALSE, what = "") {
    if (!want(name)) return(invisible(NULL))
    y <- s[[value]]
    d <- ts_design(y, breaks, change, season, s$period)
    dat <- d$X
    dat$y <- as.numeric(y)
    rhs <- paste(names(d$X), collapse = " + ")
    f <- as.formula(paste("y ~", rhs))
    off <- if (!is.null(offset)) as.numeric(s[[offset]])
           else if (!is.null(exposure)) log(as.numeric(s[[exposure]]))
           else NULL
    fit <- fit_family(f, dat, family, off)
    V <- vcov_of(fit, robust, hac)
    args <- c(cmd, "input.csv", "--value", value)
    for (b in breaks) args <- c(args, "--break", b)
    if (family != "gaussian") args <- c(args, "--family", family)
    if (season != "none") args <- c(args, "--season", season)
    if (cmd == "its" && change != "level+slope")
        args <- c(args, "--change", change)
    if (!is.null(offset)) args <- c(args, "--offset", offset)
    if (!is.null(exposure)) args <- c(args, "--exposure", exposure)
    if (!is.null(robust)) args <- c(args, "--robust", robust)
    if (!is.null(hac)) args <- c(args, "--hac", as.character(hac))
    args <- c(args, "--format", "json")
    fam_call <- switch(family,
        gaussian = "lm(%s)",
        poisson = "glm(%s, family = poisson%s)",
        quasipoisson = "glm(%s, family = quasipoisson%s)",
        negbin = "MASS::glm.nb(%s%s), theta polished by uniroot on the profile score, glm(family = negative.binomial(theta)) refitted at it")
    extra <- paste0(
        if (!is.null(offset)) sprintf(", offset = %s", offset) else "",
        if (!is.null(exposure)) sprintf(", offset = log(%s)", exposure) else "")
    if (family == "gaussian") fam_call <- sub("%s)", "%s%s)", fam_call)
    src <- paste0(what, sprintf(fam_call, paste(deparse(f), collapse = ""),
                                extra),
                  "; time = 1..n",
                  if (length(breaks)) paste0(
                      "; level = (period >= break), slope = pmax(0, time - ",
                      "index(break) + 1), numbered in date order when several")
                  else "",
                  if (season == "dummies") "; calendar dummies, January/Q1 baseline"
                  else if (season != "none") "; sin_k = sinpi(2*k*time/m), cos_k = cospi(2*k*time/m) (forecast::fourier; sin dropped when 2k = m)"
                  else "",
                  "; glm.control(epsilon = 1e-13, maxit = 100)",
                  vcov_text(robust, hac))
    checks <- fit_checks(fit, family, V,
                         ols_extra = is.null(robust) && is.null(hac))
    if (cf) {
        Vu <- if (is.null(V)) vcov(fit) else V
        use_t <- family == "gaussian" ||
            (family == "quasipoisson" && is.null(V))
        q <- if (use_t) qt(0.975, fit$df.residual) else qnorm(0.975)
        tol <- if (family == "negbin") 1e-4 else 1e-6
        checks <- c(checks, counterfactual_checks(
            fit, d$X, d$breakcols, d$first, as.numeric(y), s$period, family,
            Vu, q, tol, off))
        src <- paste0(src, "; counterfactual = model with the break terms ",
                      "set to 0 from the first break on, exp(x0'b + o +/- q*se) ",
                      "(q as the coefficient tests); cumulative = observed - ",
                      "S with the delta method on log S (docs/its.md)")
    }
    write_case(name, args, src, checks)
}

s_sb <- write_series("ukdriverdeaths-gaussian-trend-dummies",
                     drivers = sb[, "drivers"])
ts_case("ukdriverdeaths-gaussian-trend-dummies", "trend", s_sb, "drivers",
        season = "dummies", what = "y = R datasets::UKDriverDeaths; ")

s_ld <- write_series("ldeaths-poisson-trend-fourier6", deaths = ldeaths)
ts_case("ldeaths-poisson-trend-fourier6", "trend", s_ld, "deaths",
        family = "poisson", season = "fourier:6",
        what = "y = R datasets::ldeaths; ")

s_gas <- write_series("ukgas-gaussian-trend-quarters-hac4", gas = UKgas)
ts_case("ukgas-gaussian-trend-quarters-hac4", "trend", s_gas, "gas",
        season = "dummies", hac = 4, what = "y = R datasets::UKgas; ")

# Quarterly sums of monthly counts.
s_vq <- write_series("rear-quarterly-negbin-trend-dummies",
                     rear = qsum(sb[, "rear"]),
                     DriversKilled = qsum(sb[, "DriversKilled"]))
ts_case("rear-quarterly-negbin-trend-dummies", "trend", s_vq,
        "rear", family = "negbin", season = "dummies",
        what = "y = quarterly sums of R datasets::Seatbelts[, 'rear']; ")

s_fr <- write_series("front-poisson-trend-exposure-hac6",
                     front = sb[, "front"], kms = sb[, "kms"],
                     logkms = log(sb[, "kms"]), drivers = sb[, "drivers"],
                     VanKilled = sb[, "VanKilled"])
ts_case("front-poisson-trend-exposure-hac6", "trend", s_fr, "front",
        family = "poisson", season = "fourier:3", exposure = "kms", hac = 6,
        what = "y = R datasets::Seatbelts[, 'front'], kms its distance driven; ")

s_md <- write_series("mdeaths-quasipoisson-trend-robust", deaths = mdeaths)
ts_case("mdeaths-quasipoisson-trend-robust", "trend", s_md, "deaths",
        family = "quasipoisson", season = "fourier:2", robust = "hc1",
        what = "y = R datasets::mdeaths; ")

# ITS.
# A simulated overdispersed monthly count series with a break (seeded).
set.seed(20240607)
sim_t <- 1:120
sim_mu <- exp(2 + 0.004 * sim_t + 0.45 * (sim_t >= 73) -
              0.012 * pmax(0, sim_t - 72) + 0.3 * sinpi(2 * sim_t / 12))
sim_nb <- ts(rnbinom(120, size = 3, mu = sim_mu), start = c(2012, 1),
             frequency = 12)
s_nb <- write_series("simulated-negbin-its-fourier", attacks = sim_nb)
ts_case("simulated-negbin-its-fourier", "its", s_nb, "attacks",
        family = "negbin", season = "fourier:2", breaks = "2018-01", cf = TRUE,
        what = paste0("y = simulated: set.seed(20240607); rnbinom(120, size = 3, ",
                      "mu = exp(2 + 0.004 t + 0.45 (t >= 73) - 0.012 max(0, t - 72) ",
                      "+ 0.3 sinpi(2 t/12))), monthly from 2012-01; "))
copy_input("simulated-negbin-its-fourier", "simulated-negbin-its-level-hac3")
ts_case("simulated-negbin-its-level-hac3", "its", s_nb, "attacks",
        family = "negbin", season = "dummies", breaks = "2018-01",
        change = "level", hac = 3,
        what = "y = the simulated series of simulated-negbin-its-fourier; ")

s_ld2 <- write_series("ldeaths-quasipoisson-its-level-fourier6",
                      deaths = ldeaths)
ts_case("ldeaths-quasipoisson-its-level-fourier6", "its", s_ld2, "deaths",
        family = "quasipoisson", season = "fourier:6", breaks = "1977-01",
        change = "level", cf = TRUE, what = "y = R datasets::ldeaths; ")

s_md2 <- write_series("mdeaths-gaussian-its-slope-hac4", deaths = mdeaths)
ts_case("mdeaths-gaussian-its-slope-hac4", "its", s_md2, "deaths",
        season = "dummies", breaks = "1976-01", change = "slope", hac = 4,
        what = "y = R datasets::mdeaths; ")

s_van <- write_series("vankilled-poisson-its-2breaks-exposure",
                      VanKilled = sb[, "VanKilled"], kms = sb[, "kms"])
ts_case("vankilled-poisson-its-2breaks-exposure", "its", s_van, "VanKilled",
        family = "poisson", season = "dummies",
        breaks = c("1983-02", "1974-01"), exposure = "kms", cf = TRUE,
        what = paste0("y = R datasets::Seatbelts[, 'VanKilled'], exposure kms; ",
                      "breaks given in reverse date order; "))

copy_input("rear-quarterly-negbin-trend-dummies",
           "driverskilled-quarterly-negbin-its")
ts_case("driverskilled-quarterly-negbin-its", "its", s_vq, "DriversKilled",
        family = "negbin", season = "dummies", breaks = "1983-Q1", cf = TRUE,
        what = "y = quarterly sums of R datasets::Seatbelts[, 'DriversKilled']; ")

copy_input("front-poisson-trend-exposure-hac6",
           "drivers-poisson-its-offset-level-hac3")
ts_case("drivers-poisson-its-offset-level-hac3", "its", s_fr, "drivers",
        family = "poisson", season = "fourier:4", breaks = "1983-02",
        change = "level", offset = "logkms", hac = 3,
        what = "y = R datasets::Seatbelts[, 'drivers'], offset logkms = log(kms); ")

s_ukd <- write_series("ukdriverdeaths-gaussian-its-2breaks",
                      drivers = UKDriverDeaths)
ts_case("ukdriverdeaths-gaussian-its-2breaks", "its", s_ukd, "drivers",
        season = "dummies", breaks = c("1974-01", "1983-02"), cf = TRUE,
        what = "y = R datasets::UKDriverDeaths; ")

s_gq <- write_series("ukgas-quasipoisson-its-quarters", gas = round(UKgas))
ts_case("ukgas-quasipoisson-its-quarters", "its", s_gq, "gas",
        family = "quasipoisson", season = "fourier:2", breaks = "1975-Q3",
        cf = TRUE, what = "y = round(R datasets::UKgas) (quarterly); fourier:2 for m = 4 has sin1, cos1, cos2; ")

## ================================================================ compare

compare_case <- function(name, s, value, before, after, what = "") {
    if (!want(name)) return(invisible(NULL))
    y <- as.numeric(s[[value]])
    p <- s$period
    win <- function(w) {
        r <- strsplit(w, ":")[[1]]
        i <- match(r, p)
        stopifnot(!anyNA(i))
        i[1]:i[2]
    }
    ib <- win(before); ia <- win(after)
    yb <- y[ib]; ya <- y[ia]
    nb <- length(yb); na <- length(ya)
    tb <- sum(yb); ta <- sum(ya)
    pt_ <- poisson.test(c(ta, tb), T = c(na, nb))
    d <- data.frame(y = c(yb, ya), after = c(rep(0, nb), rep(1, na)))
    qp <- glm(y ~ after, family = quasipoisson, data = d, control = ctl)
    sq <- summary(qp)
    bq <- coef(qp)[2]; seq_ <- sq$coefficients[2, 2]
    dfq <- qp$df.residual
    stopifnot(dfq == nb + na - 2)
    qq <- qt(0.975, dfq)
    tt <- t.test(ya, yb, var.equal = FALSE)
    wt <- suppressWarnings(wilcox.test(ya, yb, exact = NULL, correct = TRUE))
    exact <- na < 50 && nb < 50 && !any(duplicated(c(ya, yb)))
    # wilcox.test's own choice, for the record.
    stopifnot(grepl("exact", wt$method) == exact)
    checks <- list(
        ck("before.from", p[ib[1]]), ck("before.to", p[ib[nb]]),
        ck("before.n", nb), ck("before.total", tb, 0, 1e-9),
        ck("before.mean", mean(yb), 1e-9, 1e-12),
        ck("after.from", p[ia[1]]), ck("after.to", p[ia[na]]),
        ck("after.n", na), ck("after.total", ta, 0, 1e-9),
        ck("after.mean", mean(ya), 1e-9, 1e-12),
        ck("percent_change", 100 * (mean(ya) / mean(yb) - 1), 1e-9, 1e-12),
        ck("rate_ratio.estimate", unname(pt_$estimate), 1e-9, 1e-12),
        ck("rate_ratio.conf_low", pt_$conf.int[1], 1e-6, 1e-12),
        ck("rate_ratio.conf_high", pt_$conf.int[2], 1e-6, 1e-12),
        ck("rate_ratio.p_value", pt_$p.value, 1e-5, 1e-12),
        ck("quasipoisson.estimate", unname(exp(bq)), 1e-6, 1e-12),
        ck("quasipoisson.conf_low", unname(exp(bq - qq * seq_)), 1e-6, 1e-12),
        ck("quasipoisson.conf_high", unname(exp(bq + qq * seq_)), 1e-6, 1e-12),
        ck("quasipoisson.p_value", sq$coefficients[2, 4], 1e-4, 1e-12),
        ck("quasipoisson.dispersion", sq$dispersion, 1e-6, 1e-12),
        ck("welch.estimate", mean(ya) - mean(yb), 1e-9, 1e-9),
        ck("welch.statistic", unname(tt$statistic), 1e-6, 1e-12),
        ck("welch.df", unname(tt$parameter), 1e-6, 1e-12),
        ck("welch.p_value", tt$p.value, 1e-5, 1e-12),
        ck("welch.conf_low", tt$conf.int[1], 1e-6, 1e-9),
        ck("welch.conf_high", tt$conf.int[2], 1e-6, 1e-9),
        ck("mann_whitney.statistic", unname(wt$statistic), 0, 1e-9),
        ck("mann_whitney.p_value", wt$p.value, 1e-5, 1e-12),
        ck("mann_whitney.exact", exact))
    args <- c("compare", "input.csv", "--value", value, "--before", before,
              "--after", after, "--format", "json")
    src <- paste0(what, sprintf(paste0(
        "before = %s (%d), after = %s (%d). poisson.test(c(sum(after), ",
        "sum(before)), T = c(n_after, n_before)); glm(y ~ after, family = ",
        "quasipoisson) on the periods of both windows (exp(b), t(n - 2) ",
        "interval and p); t.test(after, before, var.equal = FALSE); ",
        "wilcox.test(after, before, exact = NULL, correct = TRUE) -> %s"),
        before, nb, after, na,
        if (exact) "exact distribution (no ties, both < 50)"
        else "normal approximation with tie and continuity correction"))
    write_case(name, args, src, checks)
}

s_c1 <- write_series("usaccdeaths-compare-exact", deaths = USAccDeaths)
compare_case("usaccdeaths-compare-exact", s_c1, "deaths",
             "1973-01:1974-12", "1977-01:1978-12",
             what = "y = R datasets::USAccDeaths; ")

s_c2 <- write_series("ldeaths-compare-small-exact", deaths = ldeaths)
compare_case("ldeaths-compare-small-exact", s_c2, "deaths",
             "1974-10:1975-03", "1978-10:1979-04",
             what = "y = R datasets::ldeaths (windows of 6 and 7 months); ")

set.seed(20240608)
zh <- ts(rpois(72, rep(c(0.35, 0.9), each = 36)), start = c(2016, 1),
         frequency = 12)
s_c3 <- write_series("simulated-zeros-compare", incidents = zh)
compare_case("simulated-zeros-compare", s_c3, "incidents",
             "2016-01:2018-12", "2019-01:2021-12",
             what = paste0("y = simulated zero-heavy counts: set.seed(20240608); ",
                           "rpois(72, rep(c(0.35, 0.9), each = 36)) monthly from ",
                           "2016-01; "))

s_c4 <- write_series("discoveries-compare-annual",
                     discoveries = discoveries)
compare_case("discoveries-compare-annual", s_c4, "discoveries",
             "1860:1899", "1920:1959",
             what = "y = R datasets::discoveries (annual, ties); ")

s_c5 <- write_series("vankilled-quarterly-compare",
                     VanKilled = qsum(sb[, "VanKilled"]))
compare_case("vankilled-quarterly-compare", s_c5, "VanKilled",
             "1979-Q1:1982-Q4", "1983-Q1:1984-Q4",
             what = "y = quarterly sums of R datasets::Seatbelts[, 'VanKilled']; ")

## ============================================================ changepoint

changepoint_case <- function(name, s, value, chow = NULL, max_breaks = NULL,
                             what = "") {
    if (!want(name)) return(invisible(NULL))
    y <- as.numeric(s[[value]])
    p <- s$period
    n <- length(y)
    h <- floor(0.15 * n)
    bp <- if (is.null(max_breaks)) breakpoints(y ~ 1, h = h)
          else breakpoints(y ~ 1, h = h, breaks = max_breaks)
    sm <- summary(bp)
    rssrow <- sm$RSS["RSS", ]
    ms <- as.integer(colnames(sm$RSS))
    bic <- n * (log(rssrow / n) + 1 + log(2 * pi)) + log(n) * 2 * (ms + 1)
    stopifnot(max(abs(bic - sm$RSS["BIC", ])) < 1e-8 * max(abs(bic)))
    m <- ms[which.min(bic)]
    bks <- if (m == 0) integer() else breakpoints(bp, breaks = m)$breakpoints
    starts <- c(1, bks + 1)
    ends <- c(bks, n)
    checks <- list(ck("n", n), ck("breaks.length", m))
    for (j in seq_along(bks)) {
        checks <- c(checks, list(
            ck(sprintf("breaks[%d].period", j - 1), p[bks[j] + 1]),
            ck(sprintf("breaks[%d].index", j - 1), bks[j] + 1)))
    }
    for (j in seq_along(starts)) {
        checks <- c(checks, list(
            ck(sprintf("segments[%d].from", j - 1), p[starts[j]]),
            ck(sprintf("segments[%d].to", j - 1), p[ends[j]]),
            ck(sprintf("segments[%d].mean", j - 1),
               mean(y[starts[j]:ends[j]]), 1e-9, 1e-9)))
    }
    rss <- sum(vapply(seq_along(starts), function(j) {
        v <- y[starts[j]:ends[j]]; sum((v - mean(v))^2) }, 0))
    stopifnot(abs(rss - rssrow[which.min(bic)]) < 1e-8 * rss)
    checks <- c(checks, list(ck("rss", rss, 1e-8, 1e-9),
                             ck("bic", min(bic), 1e-8, 1e-9)))
    fs <- Fstats(y ~ 1, from = 0.15)
    st <- sctest(fs)
    checks <- c(checks, list(
        ck("sup_f.statistic", unname(st$statistic), 1e-8, 1e-9),
        ck("sup_f.p_value", st$p.value, 1e-4, 1e-10),
        ck("sup_f.period", p[fs$breakpoint + 1])))
    args <- c("changepoint", "input.csv", "--value", value, "--method",
              "breakpoints")
    if (!is.null(max_breaks))
        args <- c(args, "--max-breaks", as.character(max_breaks))
    src <- paste0(what, sprintf(paste0(
        "strucchange: bp <- breakpoints(y ~ 1, h = %d%s) (h = floor(0.15 n)); ",
        "number of breaks by BIC = summary(bp)$RSS['BIC', ] (df = 2(m + 1)); ",
        "break period = first period of the new segment (R's breakpoint + 1); ",
        "sctest(Fstats(y ~ 1, from = 0.15)) for sup-F (Hansen 1997 p-value), ",
        "period = Fstats breakpoint + 1"), h,
        if (is.null(max_breaks)) "" else sprintf(", breaks = %d", max_breaks)))
    if (!is.null(chow)) {
        ic <- match(chow, p)
        ct <- sctest(y ~ 1, type = "Chow", point = ic - 1)
        checks <- c(checks, list(
            ck("chow.period", chow),
            ck("chow.statistic", unname(ct$statistic), 1e-8, 1e-9),
            ck("chow.df1", 1), ck("chow.df2", n - 2),
            ck("chow.p_value", ct$p.value, 1e-5, 1e-12)))
        args <- c(args, "--chow", chow)
        src <- paste0(src, sprintf(paste0(
            "; Chow: sctest(y ~ 1, type = 'Chow', point = %d) (the last period ",
            "before %s), F(1, n - 2)"), ic - 1, chow))
    }
    args <- c(args, "--format", "json")
    write_case(name, args, src, checks)
}

s_lh <- write_series("lakehuron-breakpoints-chow",
                     level = annual(LakeHuron, 1875))
changepoint_case("lakehuron-breakpoints-chow", s_lh, "level", chow = "1915",
                 what = "y = R datasets::LakeHuron (annual 1875-1972); ")

set.seed(20240609)
sim2 <- ts(round(c(rnorm(40, 10, 1), rnorm(45, 13, 1.2), rnorm(35, 11, 1)), 3),
           start = c(2010, 1), frequency = 12)
s_sim2 <- write_series("simulated-two-breaks", y = sim2)
changepoint_case("simulated-two-breaks", s_sim2, "y", chow = "2013-05",
                 what = paste0("y = simulated: set.seed(20240609); round(c(rnorm(40, 10, 1), ",
                               "rnorm(45, 13, 1.2), rnorm(35, 11, 1)), 3), monthly from 2010-01; "))

s_lud <- write_series("log-ukdriverdeaths-breakpoints-max3",
                      logdrivers = log(UKDriverDeaths))
changepoint_case("log-ukdriverdeaths-breakpoints-max3", s_lud, "logdrivers",
                 max_breaks = 3, chow = "1983-02",
                 what = "y = log(R datasets::UKDriverDeaths); ")

s_nht <- write_series("nhtemp-breakpoints", temp = nhtemp)
changepoint_case("nhtemp-breakpoints", s_nht, "temp",
                 what = "y = R datasets::nhtemp (annual 1912-1971); ")

s_lynx <- write_series("log-lynx-breakpoints-max1",
                       loglynx = log10(lynx))
changepoint_case("log-lynx-breakpoints-max1", s_lynx, "loglynx",
                 max_breaks = 1, chow = "1900",
                 what = "y = log10(R datasets::lynx) (annual 1821-1934); ")

s_gq2 <- write_series("ukgas-quarterly-breakpoints", gas = UKgas)
changepoint_case("ukgas-quarterly-breakpoints", s_gq2, "gas",
                 chow = "1975-Q1",
                 what = "y = R datasets::UKgas (quarterly); ")

# Exact Mann-Whitney with windows of 20 and 15 months (no ties).
# The first seed from 20240610 on whose windows hold no ties.
seed_big <- 20240610
repeat {
    set.seed(seed_big)
    big <- ts(rpois(60, rep(c(800, 760), each = 30)), start = c(2019, 1),
              frequency = 12)
    if (!any(duplicated(as.numeric(big)[c(1:20, 31:45)]))) break
    seed_big <- seed_big + 1
}
s_c6 <- write_series("simulated-large-counts-compare-exact", events = big)
compare_case("simulated-large-counts-compare-exact", s_c6, "events",
             "2019-01:2020-08", "2021-07:2022-09",
             what = sprintf(paste0("y = simulated: set.seed(%d); rpois(60, rep(c(800, 760), ",
                           "each = 30)) monthly from 2019-01 (no ties in the windows); "),
                           seed_big))

## ========================================================= forecast: ARIMA

fc_period_checks <- function(fc_times, freq) periods_of(fc_times, freq)

# Maximise the exact likelihood of the differenced series w (a stationary
# ARMA with or without mean) from R's solution: Nelder-Mead and BFGS
# restarts on arima(w, fixed = ., transform.pars = FALSE, method = "ML")
# until the log-likelihood stops improving.  R's optimizer (BFGS, reltol
# 1e-8, on the approximate-diffuse likelihood of the undifferenced series)
# can stop short along flat directions (a drift with a large standard
# error) or at a slightly different optimum of its approximate likelihood.
polish_arma <- function(w, p, q, P, Q, fr, mean, start, scale) {
    nll <- function(par) {
        f <- tryCatch(suppressWarnings(arima(
            w, order = c(p, 0, q), seasonal = list(order = c(P, 0, Q),
                                                   period = fr),
            include.mean = mean, fixed = par, transform.pars = FALSE,
            method = "ML")), error = function(e) NULL)
        if (is.null(f) || !is.finite(f$loglik)) 1e10 else -f$loglik
    }
    best <- start
    bestv <- nll(start)
    for (round in 1:20) {
        o1 <- optim(best, nll, control = list(reltol = 1e-15, maxit = 5000,
                                              parscale = scale))
        o2 <- tryCatch(optim(o1$par, nll, method = "BFGS",
                             control = list(reltol = 1e-15, maxit = 1000,
                                            parscale = scale,
                                            ndeps = rep(1e-5, length(scale)))),
                       error = function(e) o1)
        cand <- if (o2$value < o1$value) o2 else o1
        gain <- bestv - cand$value
        if (gain > 0) { best <- cand$par; bestv <- cand$value }
        if (gain < 1e-10) break
    }
    list(par = best, loglik = -bestv)
}

# Fixed-order ARIMA as the reference README defines it: the exact Gaussian
# likelihood of the differenced series.  Expected coefficients and loglik
# are the exact maximum (R's Arima fit of the explicitly differenced series,
# polished; see polish_arma), R's forecast::Arima values being given in the
# source; standard errors from R's Hessian of the differenced fit; sigma2 =
# sum(e^2)/(n* - k) of that fit; aic, aicc, bic from the exact loglik;
# forecasts of forecast::Arima with the coefficients fixed at the exact
# maximum, interval half-widths rescaled to the exact sigma2 (on the log
# scale with --log).
arima_case <- function(name, s, value, order, seasonal = c(0, 0, 0),
                       drift = FALSE, log = FALSE, h = 12,
                       levels = c(80, 95), what = "") {
    if (!want(name)) return(invisible(NULL))
    y0 <- s[[value]]
    fr <- frequency(y0)
    y <- if (log) log(y0) else y0
    d <- order[2]; D <- seasonal[2]
    incl_mean <- (d + D == 0)
    fit <- Arima(y, order = order, seasonal = seasonal,
                 include.mean = incl_mean, include.drift = drift,
                 method = "ML")
    # Explicitly differenced series: exact likelihood.
    w <- y
    if (D > 0) w <- diff(w, lag = fr, differences = D)
    if (d > 0) w <- diff(w, differences = d)
    wmean <- incl_mean || drift
    fit2 <- Arima(w, order = c(order[1], 0, order[3]),
                  seasonal = c(seasonal[1], 0, seasonal[3]),
                  include.mean = wmean, method = "ML")
    k <- length(coef(fit))
    stopifnot(length(coef(fit2)) == k)
    # A drift with d = 1, D = 1 would be the mean of w divided by m; only
    # d + D = 1 is used here.
    stopifnot(!drift || (d == 1 && D == 0))
    se2 <- sqrt(diag(fit2$var.coef))
    pol <- polish_arma(w, order[1], order[3], seasonal[1], seasonal[3], fr,
                       wmean, coef(fit2), pmax(se2, 1e-3))
    b <- pol$par
    names(b) <- names(coef(fit))
    ll <- pol$loglik
    fitw <- arima(w, order = c(order[1], 0, order[3]),
                  seasonal = list(order = c(seasonal[1], 0, seasonal[3]),
                                  period = fr),
                  include.mean = wmean, fixed = pol$par,
                  transform.pars = FALSE, method = "ML")
    nstar <- length(w)
    stopifnot(nstar == length(y) - d - fr * D)
    sig2 <- sum(residuals(fitw)^2) / (nstar - k)
    # Standard errors: the inverse Hessian of the exact log-likelihood at
    # the exact maximum by central differences.  R's own (optimHess with
    # ndeps 1e-3 in its scaled coordinates) is kept when that fails; it can
    # be far off for a drift on a small scale.
    llw <- function(par) {
        f <- tryCatch(arima(w, order = c(order[1], 0, order[3]),
                            seasonal = list(order = c(seasonal[1], 0,
                                                      seasonal[3]),
                                            period = fr),
                            include.mean = wmean, fixed = par,
                            transform.pars = FALSE, method = "ML"),
                      error = function(e) NULL)
        if (is.null(f)) NA else f$loglik
    }
    # Central second differences with steps of 0.1% of R's standard errors
    # (scale-aware; numDeriv's default relative steps of 10% of |x| are
    # far too long for a mean of 579 with a standard error of 0.35).
    hess_cd <- function(f, x, h) {
        k <- length(x)
        H <- matrix(NA_real_, k, k)
        for (i in 1:k) for (j in i:k) {
            ei <- ej <- rep(0, k)
            ei[i] <- h[i]; ej[j] <- h[j]
            H[i, j] <- H[j, i] <- (f(x + ei + ej) - f(x + ei - ej) -
                                   f(x - ei + ej) + f(x - ei - ej)) /
                (4 * h[i] * h[j])
        }
        H
    }
    Hn <- tryCatch(hess_cd(llw, pol$par, 0.001 * pmax(se2, 1e-8)),
                   error = function(e) NULL)
    seN <- if (is.null(Hn) || anyNA(Hn)) NULL else
        tryCatch(sqrt(diag(solve(-Hn))), warning = function(e) NULL,
                 error = function(e) NULL)
    se_how <- paste0("inverse of the Hessian of the exact loglik at the exact ",
                     "maximum by central differences, steps 0.1% of R's ",
                     "standard errors")
    if (is.null(seN) || anyNA(seN)) {
        seN <- se2
        se_how <- "R's var.coef of the differenced fit (differences failed)"
    }
    seR <- sqrt(diag(fit$var.coef))
    dse <- max(abs(seR - seN) / seN)
    if (dse > 1e-2) {
        cat(sprintf("  note %s: R's standard errors differ from the exact Hessian's by %.3g: R %s, exact %s\n",
                    name, dse, paste(signif(seR, 6), collapse = ", "),
                    paste(signif(seN, 6), collapse = ", ")))
    }
    # Forecasts with the coefficients at the exact maximum.
    fitx <- Arima(y, order = order, seasonal = seasonal,
                  include.mean = incl_mean, include.drift = drift,
                  fixed = unname(b), transform.pars = FALSE, method = "ML")
    fc <- forecast(fitx, h = h, level = levels)
    f <- sqrt(sig2 / fitx$sigma2)
    fcR <- forecast(fit, h = h, level = levels)
    per <- periods_of(time(fc$mean), fr)
    mean_l <- as.numeric(fc$mean)
    aic <- -2 * ll + 2 * (k + 1)
    aicc <- aic + 2 * (k + 1) * (k + 2) / (nstar - k - 2)
    bic <- aic + (k + 1) * (log(nstar) - 2)
    # How far R's own fit is from the exact maximum (outside the README
    # tolerances, a case built from R's fit would fail a correct program).
    dcoef <- abs(coef(fit) - b) / pmax(abs(b), 1e-6 / 1e-3)
    dmean <- max(abs(as.numeric(fcR$mean) - mean_l) / abs(mean_l))
    gap <- sprintf(paste0(
        "R's forecast::Arima: coefficients %s, loglik %.6f (approximate ",
        "diffuse start), sigma2 %.6g; exact maximum: coefficients %s, loglik ",
        "%.6f; largest relative difference of R's coefficients %.2g, of its ",
        "forecast means %.2g"),
        paste(sprintf("%s = %.8g", names(coef(fit)), coef(fit)), collapse = ", "),
        fit$loglik, fit$sigma2,
        paste(sprintf("%s = %.8g", names(b), b), collapse = ", "),
        ll, max(dcoef), dmean)
    if (max(dcoef) > 1e-3 || abs(fit$loglik - ll) > 0.01 || dmean > 1e-3) {
        cat(sprintf("  note %s: R's Arima differs from the exact maximum: %s\n",
                    name, gap))
    }
    checks <- list(ck("order[0]", order[1]), ck("order[1]", order[2]),
                   ck("order[2]", order[3]),
                   ck("seasonal_order[0]", seasonal[1]),
                   ck("seasonal_order[1]", seasonal[2]),
                   ck("seasonal_order[2]", seasonal[3]))
    for (j in seq_along(b)) {
        tn <- names(b)[j]
        checks <- c(checks, list(
            ck(sprintf("coefficients[term=%s].estimate", tn), b[[j]],
               1e-3, 1e-6),
            ck(sprintf("coefficients[term=%s].std_error", tn), seN[[j]], 1e-2,
               1e-8)))
    }
    checks <- c(checks, list(
        ck("sigma2", sig2, 5e-3, 0),
        ck("loglik", ll, 0, 0.01, at_least = TRUE),
        ck("loglik", ll, 0, 0.05, at_most = TRUE),
        ck("aic", aic, 0, 0.1), ck("aicc", aicc, 0, 0.1),
        ck("bic", bic, 0, 0.1)))
    for (i in seq_len(h)) {
        pre <- sprintf("forecast[%d].", i - 1)
        m <- mean_l[i]
        checks <- c(checks, list(
            ck(paste0(pre, "period"), per[i]),
            ck(paste0(pre, "mean"), if (log) exp(m) else m, 1e-3, 1e-8)))
        if (i %in% unique(c(1, 2, h %/% 2, h))) {
            for (L in seq_along(levels)) {
                hw_lo <- (m - fc$lower[i, L]) * f
                hw_hi <- (fc$upper[i, L] - m) * f
                lo <- m - hw_lo; hi <- m + hw_hi
                if (log) { lo <- exp(lo); hi <- exp(hi) }
                sel <- sprintf("intervals[level=%d].", levels[L])
                checks <- c(checks, list(
                    ck(paste0(pre, sel, "lower"), lo, 1e-3, 1e-8),
                    ck(paste0(pre, sel, "upper"), hi, 1e-3, 1e-8)))
            }
        }
    }
    spec <- paste0("arima:", paste(order, collapse = ","))
    if (any(seasonal != 0)) spec <- paste0(spec, ":",
                                           paste(seasonal, collapse = ","))
    args <- c("forecast", "input.csv", "--value", value, "--model", spec,
              "--horizon", as.character(h), "--level",
              paste(levels, collapse = ","))
    if (log) args <- c(args, "--log")
    if (drift) args <- c(args, "--drift")
    args <- c(args, "--format", "json")
    src <- paste0(what, sprintf(paste0(
        "forecast::Arima(y%s, order = c(%s), seasonal = c(%s)%s%s, method = \"ML\"). ",
        "Exact likelihood: w = the explicitly differenced series, ",
        "Arima(w, order = c(%d,0,%d), seasonal = c(%d,0,%d), include.mean = %s, ",
        "method = \"ML\") polished by Nelder-Mead/BFGS restarts on ",
        "arima(w, fixed = ., transform.pars = FALSE)$loglik; std errors: %s ",
        "(R's: %s); sigma2 = sum(e^2)/(n* - k) = %.8g at the ",
        "exact maximum; forecasts: forecast(Arima(y, ..., fixed = <exact ",
        "coefficients>), h = %d, level = c(%s)) with interval half-widths ",
        "rescaled to that sigma2 (factor %.6f%s). %s"),
        if (log) " (log scale: lambda = 0, no bias adjustment)" else "",
        paste(order, collapse = ","), paste(seasonal, collapse = ","),
        if (incl_mean) ", include.mean = TRUE" else "",
        if (drift) ", include.drift = TRUE" else "",
        order[1], order[3], seasonal[1], seasonal[3],
        if (wmean) "TRUE" else "FALSE", se_how,
        paste(sprintf("%.6g", seR), collapse = ", "), sig2, h,
        paste(levels, collapse = ", "), f,
        if (log) " on the log scale" else "", gap))
    write_case(name, args, src, checks)
}

s_lhx <- write_series("lh-ar2-mean", lh = annual(lh, 1901))
arima_case("lh-ar2-mean", s_lhx, "lh", c(2, 0, 0), h = 10,
           what = "y = R datasets::lh (48 values, written as years 1901-1948); ")

s_www <- write_series("wwwusage-arima111", usage = annual(WWWusage, 1901))
arima_case("wwwusage-arima111", s_www, "usage", c(1, 1, 1), h = 10,
           what = "y = R datasets::WWWusage (100 values, written as years 1901-2000); ")

s_usa <- write_series("usaccdeaths-airline", deaths = USAccDeaths)
arima_case("usaccdeaths-airline", s_usa, "deaths", c(0, 1, 1), c(0, 1, 1),
           h = 24, what = "y = R datasets::USAccDeaths; ")

s_ldx <- write_series("ldeaths-sarima-200-110", deaths = ldeaths)
arima_case("ldeaths-sarima-200-110", s_ldx, "deaths", c(2, 0, 0), c(1, 1, 0),
           h = 12, what = "y = R datasets::ldeaths; ")

s_co2 <- write_series("co2-log-sarima", co2 = co2)
arima_case("co2-log-sarima", s_co2, "co2", c(1, 1, 1), c(0, 1, 1), log = TRUE,
           h = 24, what = "y = R datasets::co2 (monthly 1959-1997), --log; ")

s_aus <- write_series("austres-arima210-drift", austres = austres)
arima_case("austres-arima210-drift", s_aus, "austres", c(2, 1, 0),
           drift = TRUE, h = 8,
           what = "y = R datasets::austres (quarterly); drift estimated jointly with the AR terms; ")

s_lhu <- write_series("lakehuron-arma11-mean", level = annual(LakeHuron, 1875))
arima_case("lakehuron-arma11-mean", s_lhu, "level", c(1, 0, 1), h = 8,
           what = "y = R datasets::LakeHuron (annual); ")

s_gl <- write_series("ukgas-log-airline-quarterly", gas = UKgas)
arima_case("ukgas-log-airline-quarterly", s_gl, "gas", c(0, 1, 1),
           c(0, 1, 1), log = TRUE, h = 8,
           what = "y = R datasets::UKgas (quarterly), --log; ")

s_nile <- write_series("nile-arima011-drift", flow = annual(Nile, 1871))
arima_case("nile-arima011-drift", s_nile, "flow", c(0, 1, 1), drift = TRUE,
           h = 10, what = "y = R datasets::Nile (annual); ")

s_jj <- write_series("usaccdeaths-sarima-drift",
                     deaths = USAccDeaths)
arima_case("usaccdeaths-sarima-drift", s_jj, "deaths", c(1, 1, 0),
           c(1, 0, 0), drift = TRUE, h = 12,
           what = "y = R datasets::USAccDeaths; seasonal AR(1) with d = 1 and a drift; ")

## =========================================================== forecast: ETS

ets_lower <- c(1e-4, 1e-4, 1e-4, 0.8)
ets_upper <- c(0.9999, 0.9999, 0.9999, 0.98)

# forecast::ets's objective (-2 loglik without constants, as pegelsresid.C
# computes it) with its feasibility rules: bounds = "both" (check.param,
# including admissibility) and non-negative initial states for a
# multiplicative season; Inf outside.
ets_objective <- function(y, fit) {
    comp <- fit$components
    et <- comp[1]; tt <- comp[2]; st <- comp[3]; damped <- comp[4] == "TRUE"
    m <- if (st != "N") frequency(y) else 1
    nm <- names(fit$par)
    nstate <- sum(!(nm %in% c("alpha", "beta", "gamma", "phi")))
    function(par) {
        names(par) <- nm
        a <- par["alpha"]
        b <- if ("beta" %in% nm) par["beta"] else NULL
        g <- if ("gamma" %in% nm) par["gamma"] else NULL
        p <- if ("phi" %in% nm) par["phi"] else NULL
        if (!forecast:::check.param(a, b, g, p, ets_lower, ets_upper, "both", m))
            return(Inf)
        init <- par[(length(par) - nstate + 1):length(par)]
        if (st != "N") {
            seas <- init[(2 + (tt != "N")):nstate]
            init <- c(init, m * (st == "M") - sum(seas))
            if (st == "M" && min(init[(2 + (tt != "N")):length(init)]) < 0)
                return(Inf)
        }
        e <- forecast:::pegelsresid.C(y, m, unname(init), et, tt, st, damped,
                                      unname(a),
                                      if (is.null(b)) NULL else unname(b),
                                      if (is.null(g)) NULL else unname(g),
                                      if (is.null(p)) NULL else unname(p), 3)
        if (is.na(e$lik) || !is.finite(e$lik)) Inf else e$lik
    }
}

# Polish R's solution on R's own objective: rounds of Nelder-Mead on all
# parameters and BFGS on the initial states (the smoothing parameters held),
# until a round gains less than 1e-6; then "snap" each smoothing parameter to
# each of its bounds in turn (forecast's Nelder-Mead rarely reaches an
# optimum on a bound, where many are), re-polish, and keep any improvement,
# until no snap helps.
polish_ets <- function(y, fit) {
    obj <- ets_objective(y, fit)
    nm <- names(fit$par)
    smooth <- nm %in% c("alpha", "beta", "gamma", "phi")
    scale <- ifelse(smooth, 0.01, pmax(abs(fit$par) * 0.01, 1e-3))
    local_polish <- function(par) {
        v <- obj(par)
        for (round in 1:10) {
            o <- optim(par, obj, control = list(reltol = 1e-12, maxit = 3000,
                                                parscale = scale))
            cand <- o$par; cv <- o$value
            if (is.finite(cv) && any(!smooth)) {
                fs <- function(st) { q <- cand; q[!smooth] <- st; obj(q) }
                ob <- tryCatch(optim(cand[!smooth], fs, method = "BFGS",
                                     control = list(reltol = 1e-12,
                                                    maxit = 100,
                                                    parscale = scale[!smooth])),
                               error = function(e) NULL)
                if (!is.null(ob) && is.finite(ob$value) && ob$value < cv) {
                    cand[!smooth] <- ob$par; cv <- ob$value
                }
            }
            gain <- v - cv
            if (gain > 0) { par <- cand; v <- cv }
            # The polished value bounds tally's loglik with atol 0.05: a
            # gain below 1e-6 on -2 loglik no longer matters.
            if (!(gain > 1e-6)) break
        }
        list(par = par, value = v)
    }
    best <- local_polish(fit$par)
    stopifnot(abs(-0.5 * obj(fit$par) - fit$loglik) < 1e-6)
    bounds <- list(alpha = c(1e-4, 0.9999), beta = c(1e-4, 0.9999),
                   gamma = c(1e-4, 0.9999), phi = c(0.8, 0.98))
    repeat {
        improved <- FALSE
        for (k in nm[smooth]) {
            for (bv in bounds[[k]]) {
                st <- best$par
                st[k] <- bv
                # Keep beta <= alpha and gamma <= 1 - alpha feasible.
                if (k == "alpha" && "beta" %in% nm) st["beta"] <- min(st["beta"], bv)
                if (k == "beta" && bv > st["alpha"]) next
                if (k == "alpha" && "gamma" %in% nm)
                    st["gamma"] <- min(st["gamma"], max(1e-4, 1 - bv))
                if (k == "gamma" && bv > 1 - st["alpha"]) next
                if (!is.finite(obj(st))) next
                cand <- local_polish(st)
                if (cand$value < best$value - 1e-6) {
                    best <- cand
                    improved <- TRUE
                }
            }
        }
        if (!improved) break
    }
    bestv <- best$value
    best <- best$par
    names(best) <- names(fit$par)
    # Forecasts at the polished parameters: ets(model = <fit with them>,
    # use.initial.values = TRUE) re-runs the filter without estimation.
    comp <- fit$components
    nm <- names(best)
    nstate <- sum(!(nm %in% c("alpha", "beta", "gamma", "phi")))
    init <- best[(length(best) - nstate + 1):length(best)]
    if (comp[3] != "N") {
        m <- frequency(y)
        init <- c(init, m * (comp[3] == "M") -
                  sum(init[(2 + (comp[2] != "N")):nstate]))
    }
    f2 <- fit
    f2$par <- best
    f2$initstate <- init
    f2 <- ets(y, model = f2, use.initial.values = TRUE)
    stopifnot(abs(f2$loglik - (-0.5 * bestv)) < 1e-6)
    list(fit = f2, loglik = -0.5 * bestv)
}

ets_case <- function(name, s, value, model, damped = FALSE, h = 12,
                     levels = c(80, 95), what = "") {
    if (!want(name)) return(invisible(NULL))
    y <- s[[value]]
    fit <- ets(y, model = model, damped = damped)
    fc <- forecast(fit, h = h, level = levels)
    pol <- polish_ets(y, fit)
    fcp <- forecast(pol$fit, h = h, level = levels)
    rel <- function(a, b) max(abs(as.numeric(a) - as.numeric(b)) /
                                  abs(as.numeric(b)))
    dmax <- max(rel(fcp$mean, fc$mean), rel(fcp$lower, fc$lower),
                rel(fcp$upper, fc$upper))
    # 2%, or twice the largest move of the forecasts between R's optimum and
    # the polished one, in whole percent.
    rt <- max(0.02, ceiling(200 * dmax) / 100)
    per <- periods_of(time(fc$mean), frequency(y))
    checks <- list(
        ck("model", fit$method), ck("n", length(y)),
        ck("loglik", fit$loglik, 0, 0.01, at_least = TRUE),
        ck("loglik", pol$loglik, 0, 0.05, at_most = TRUE),
        ck("aicc", fit$aicc, 0, 0.01, at_most = TRUE),
        ck("aicc", pol$fit$aicc, 0, 0.1, at_least = TRUE),
        ck("aic", fit$aic, 0, 0.01, at_most = TRUE),
        ck("bic", fit$bic, 0, 0.01, at_most = TRUE))
    for (i in seq_len(h)) {
        pre <- sprintf("forecast[%d].", i - 1)
        checks <- c(checks, list(
            ck(paste0(pre, "period"), per[i]),
            ck(paste0(pre, "mean"), as.numeric(fc$mean)[i], rt, 1e-8)))
        if (i %in% unique(c(1, 2, h %/% 2, h))) {
            for (L in seq_along(levels)) {
                sel <- sprintf("intervals[level=%d].", levels[L])
                checks <- c(checks, list(
                    ck(paste0(pre, sel, "lower"), fc$lower[i, L], rt, 1e-8),
                    ck(paste0(pre, sel, "upper"), fc$upper[i, L], rt, 1e-8)))
            }
        }
    }
    spec <- paste0("ets:", substr(model, 1, 2), if (damped) "d" else "",
                   substr(model, 3, 3))
    args <- c("forecast", "input.csv", "--value", value, "--model", spec,
              "--horizon", as.character(h), "--level",
              paste(levels, collapse = ","), "--format", "json")
    src <- paste0(what, sprintf(paste0(
        "forecast::ets(y, model = \"%s\", damped = %s) -> %s, loglik %.4f, ",
        "AICc %.4f; forecast(fit, h = %d, level = c(%s)). Polishing R's own ",
        "objective from R's solution (Nelder-Mead and BFGS-on-states restarts, ",
        "then each smoothing parameter snapped to its bounds and re-polished, ",
        "on pegelsresid.C's lik with check.param(bounds = \"both\")) reaches ",
        "loglik %.4f (AICc %.4f); forecasts there differ by up to %.2f%%, so ",
        "forecasts use rtol %g"), model, if (damped) "TRUE" else "FALSE",
        fit$method, fit$loglik, fit$aicc, h, paste(levels, collapse = ", "),
        pol$loglik, pol$fit$aicc, 100 * dmax, rt))
    write_case(name, args, src, checks)
}

s_e1 <- write_series("lakehuron-ets-ann", level = annual(LakeHuron, 1875))
ets_case("lakehuron-ets-ann", s_e1, "level", "ANN", h = 6,
         what = "y = R datasets::LakeHuron (annual); ")

s_e2 <- write_series("austres-ets-aan", austres = austres)
ets_case("austres-ets-aan", s_e2, "austres", "AAN", h = 8,
         what = "y = R datasets::austres (quarterly; non-seasonal model); ")

s_e3 <- write_series("wwwusage-ets-aadn", usage = annual(WWWusage, 1901))
ets_case("wwwusage-ets-aadn", s_e3, "usage", "AAN", damped = TRUE, h = 10,
         what = "y = R datasets::WWWusage (written as years 1901-2000); ")

s_e4 <- write_series("usaccdeaths-ets-mnm", deaths = USAccDeaths)
ets_case("usaccdeaths-ets-mnm", s_e4, "deaths", "MNM", h = 12,
         what = "y = R datasets::USAccDeaths; ")

s_e5 <- write_series("ldeaths-ets-aaa", deaths = ldeaths)
ets_case("ldeaths-ets-aaa", s_e5, "deaths", "AAA", h = 12,
         what = "y = R datasets::ldeaths; ")

s_e6 <- write_series("ukdriverdeaths-ets-madm", drivers = UKDriverDeaths)
ets_case("ukdriverdeaths-ets-madm", s_e6, "drivers", "MAM", damped = TRUE,
         h = 12, what = "y = R datasets::UKDriverDeaths; ")

s_e7 <- write_series("driverskilled-quarterly-ets-ana",
                     DriversKilled = qsum(sb[, "DriversKilled"]))
ets_case("driverskilled-quarterly-ets-ana", s_e7, "DriversKilled", "ANA",
         h = 8, what = "y = quarterly sums of R datasets::Seatbelts[, 'DriversKilled']; ")

s_e8 <- write_series("nile-ets-mnn", flow = annual(Nile, 1871))
ets_case("nile-ets-mnn", s_e8, "flow", "MNN", h = 5,
         what = "y = R datasets::Nile (annual); ")

## ===================================================== automatic ARIMA/ETS

# Exact AICc of a fitted forecast::Arima model: the likelihood of its
# explicitly differenced series, maximised (polish_arma) from R's
# coefficients; a drift (d + D = 1) becomes the mean of the differenced
# series, which leaves the likelihood unchanged.
arima_exact_aicc <- function(y, fit) {
    a <- fit$arma  # p, q, P, Q, m, d, D
    p <- a[1]; q <- a[2]; P <- a[3]; Q <- a[4]; m <- a[5]; d <- a[6]; D <- a[7]
    w <- y
    if (D > 0) w <- diff(w, lag = m, differences = D)
    if (d > 0) w <- diff(w, differences = d)
    cf <- coef(fit)
    hasmean <- any(names(cf) %in% c("intercept", "drift"))
    start <- cf
    if ("drift" %in% names(cf)) start["drift"] <- cf["drift"] * (if (D > 0) m else 1)
    se <- sqrt(pmax(diag(fit$var.coef), 0))
    if ("drift" %in% names(cf)) se[names(cf) == "drift"] <-
        se[names(cf) == "drift"] * (if (D > 0) m else 1)
    pol <- polish_arma(w, p, q, P, Q, max(m, 1), hasmean, unname(start),
                       pmax(unname(se), 1e-3))
    k <- length(cf)
    nstar <- length(w)
    aic <- -2 * pol$loglik + 2 * (k + 1)
    list(loglik = pol$loglik,
         aicc = aic + 2 * (k + 1) * (k + 2) / (nstar - k - 2))
}

auto_arima_case <- function(name, s, value, h = 6, what = "") {
    if (!want(name)) return(invisible(NULL))
    y <- s[[value]]
    fit <- auto.arima(y)
    ex <- auto.arima(y, stepwise = FALSE, approximation = FALSE)
    ord <- function(f) f$arma[c(1, 6, 2, 3, 7, 4)]  # p d q P D Q
    same <- identical(ord(fit), ord(ex)) &&
        identical(names(coef(fit)), names(coef(ex)))
    exa <- arima_exact_aicc(y, fit)
    # Bound: R's AICc, or the exact AICc of R's model when that is larger
    # (R's likelihood has an approximate-diffuse start).
    bound <- max(fit$aicc, exa$aicc)
    checks <- list(ck("n", length(y)),
                   ck("aicc", bound, 0, 0.02, at_most = TRUE))
    if (same) {
        o <- ord(fit)
        checks <- c(checks, list(
            ck("order[0]", o[1]), ck("order[1]", o[2]), ck("order[2]", o[3]),
            ck("seasonal_order[0]", o[4]), ck("seasonal_order[1]", o[5]),
            ck("seasonal_order[2]", o[6])))
    }
    args <- c("forecast", "input.csv", "--value", value, "--model",
              "arima:auto", "--horizon", as.character(h), "--format", "json")
    desc <- function(f) sprintf("ARIMA(%s)(%s)%s", paste(f$arma[c(1, 6, 2)],
                                                        collapse = ","),
                                paste(f$arma[c(3, 7, 4)], collapse = ","),
                                if ("drift" %in% names(coef(f))) " with drift"
                                else if ("intercept" %in% names(coef(f)))
                                    " with mean" else "")
    src <- paste0(what, sprintf(paste0(
        "forecast::auto.arima(y) (defaults) -> %s, AICc %.4f (exact ",
        "likelihood of its differenced series: AICc %.4f); exhaustive ",
        "auto.arima(y, stepwise = FALSE, approximation = FALSE) -> %s, AICc ",
        "%.4f. Checked: AICc at_most max(R's, exact) + 0.02%s"),
        desc(fit), fit$aicc, exa$aicc, desc(ex), ex$aicc,
        if (same) "; the order, as both searches agree"
        else "; the order is not checked (the searches disagree)"))
    write_case(name, args, src, checks)
}

ets_auto_case <- function(name, s, value, h = 6, what = "") {
    if (!want(name)) return(invisible(NULL))
    y <- s[[value]]
    fit <- ets(y)
    checks <- list(ck("n", length(y)),
                   ck("aicc", fit$aicc, 0, 0.01, at_most = TRUE))
    args <- c("forecast", "input.csv", "--value", value, "--model",
              "ets:auto", "--horizon", as.character(h), "--format", "json")
    src <- paste0(what, sprintf(paste0(
        "forecast::ets(y) (defaults: every admissible model, AICc) -> %s, ",
        "loglik %.4f, AICc %.4f. Checked: AICc at_most R's + 0.01"),
        fit$method, fit$loglik, fit$aicc))
    write_case(name, args, src, checks)
}

copy_input("wwwusage-arima111", "wwwusage-auto-arima")
auto_arima_case("wwwusage-auto-arima", s_www, "usage",
                what = "y = R datasets::WWWusage (as years 1901-2000); ")
copy_input("usaccdeaths-airline", "usaccdeaths-auto-arima")
auto_arima_case("usaccdeaths-auto-arima", s_usa, "deaths", h = 12,
                what = "y = R datasets::USAccDeaths; ")
copy_input("lh-ar2-mean", "lh-auto-arima")
auto_arima_case("lh-auto-arima", s_lhx, "lh",
                what = "y = R datasets::lh (as years 1901-1948); ")
copy_input("austres-arima210-drift", "austres-auto-arima")
auto_arima_case("austres-auto-arima", s_aus, "austres", h = 8,
                what = "y = R datasets::austres (quarterly); ")
copy_input("ukdriverdeaths-ets-madm", "ukdriverdeaths-auto-arima")
auto_arima_case("ukdriverdeaths-auto-arima", s_e6, "drivers", h = 12,
                what = "y = R datasets::UKDriverDeaths (n = 192 > 150: approximate search); ")
copy_input("lakehuron-arma11-mean", "lakehuron-auto-arima")
auto_arima_case("lakehuron-auto-arima", s_lhu, "level",
                what = "y = R datasets::LakeHuron (annual); ")

copy_input("usaccdeaths-ets-mnm", "usaccdeaths-ets-auto")
ets_auto_case("usaccdeaths-ets-auto", s_e4, "deaths", h = 12,
              what = "y = R datasets::USAccDeaths; ")
copy_input("lakehuron-ets-ann", "lakehuron-ets-auto")
ets_auto_case("lakehuron-ets-auto", s_e1, "level",
              what = "y = R datasets::LakeHuron (annual); ")
copy_input("austres-ets-aan", "austres-ets-auto")
ets_auto_case("austres-ets-auto", s_e2, "austres",
              what = "y = R datasets::austres (quarterly); ")
copy_input("driverskilled-quarterly-ets-ana", "driverskilled-quarterly-ets-auto")
ets_auto_case("driverskilled-quarterly-ets-auto", s_e7, "DriversKilled",
              what = "y = quarterly sums of R datasets::Seatbelts[, 'DriversKilled']; ")
copy_input("ldeaths-ets-aaa", "ldeaths-ets-auto")
ets_auto_case("ldeaths-ets-auto", s_e5, "deaths",
              what = "y = R datasets::ldeaths; ")

## ============================================================== baselines

baseline_case <- function(name, s, value, model, h, levels = c(80, 95),
                          what = "") {
    if (!want(name)) return(invisible(NULL))
    y <- s[[value]]
    fc <- switch(model,
                 naive = naive(y, h = h, level = levels),
                 snaive = snaive(y, h = h, level = levels),
                 drift = rwf(y, h = h, drift = TRUE, level = levels),
                 mean = meanf(y, h = h, level = levels))
    call <- switch(model,
                   naive = "naive(y, h = %d, level = c(%s))",
                   snaive = "snaive(y, h = %d, level = c(%s))",
                   drift = "rwf(y, h = %d, drift = TRUE, level = c(%s))",
                   mean = "meanf(y, h = %d, level = c(%s))")
    per <- periods_of(time(fc$mean), frequency(y))
    checks <- list()
    for (i in seq_len(h)) {
        pre <- sprintf("forecast[%d].", i - 1)
        checks <- c(checks, list(
            ck(paste0(pre, "period"), per[i]),
            ck(paste0(pre, "mean"), as.numeric(fc$mean)[i], 1e-9, 1e-9)))
        for (L in seq_along(levels)) {
            sel <- sprintf("intervals[level=%d].", levels[L])
            checks <- c(checks, list(
                ck(paste0(pre, sel, "lower"), fc$lower[i, L], 1e-9, 1e-9),
                ck(paste0(pre, sel, "upper"), fc$upper[i, L], 1e-9, 1e-9)))
        }
    }
    args <- c("forecast", "input.csv", "--value", value, "--model", model,
              "--horizon", as.character(h), "--level",
              paste(levels, collapse = ","), "--format", "json")
    src <- paste0(what, "forecast::", sprintf(call, h,
                                              paste(levels, collapse = ", ")))
    write_case(name, args, src, checks)
}

copy_input("lakehuron-arma11-mean", "lakehuron-naive")
baseline_case("lakehuron-naive", s_lhu, "level", "naive", 5,
              what = "y = R datasets::LakeHuron (annual); ")
copy_input("ldeaths-ets-aaa", "ldeaths-snaive-h30")
baseline_case("ldeaths-snaive-h30", s_e5, "deaths", "snaive", 30,
              what = "y = R datasets::ldeaths (horizon over two and a half years); ")
copy_input("austres-arima210-drift", "austres-drift")
baseline_case("austres-drift", s_aus, "austres", "drift", 8,
              what = "y = R datasets::austres (quarterly); ")
copy_input("nile-ets-mnn", "nile-mean")
baseline_case("nile-mean", s_e8, "flow", "mean", 4,
              what = "y = R datasets::Nile (annual); ")
s_b5 <- write_series("ukgas-quarterly-snaive-levels", gas = UKgas)
baseline_case("ukgas-quarterly-snaive-levels", s_b5, "gas", "snaive", 9,
              levels = c(50, 90, 99),
              what = "y = R datasets::UKgas (quarterly); levels 50, 90, 99; ")
copy_input("simulated-zeros-compare", "simulated-zeros-naive")
baseline_case("simulated-zeros-naive", s_c3, "incidents", "naive", 6,
              what = "y = the zero-heavy simulated series of simulated-zeros-compare; ")

## =============================================================== backtest

# Rolling origin as the README defines it: origins N, ..., n - H, each fit
# on y[1..origin], H forecasts; errors pooled; MASE scale = mean absolute
# seasonal difference (lag m, 1 for annual) of y[1..N]; coverage = share of
# pooled actuals inside the intervals.  With one origin the figures are
# checked against accuracy(forecast(...), actual)["Test set", ].
backtest_case <- function(name, s, value, model, N, H, levels = c(80, 95),
                          what = "") {
    if (!want(name)) return(invisible(NULL))
    y <- s[[value]]
    n <- length(y)
    fr <- frequency(y)
    fcf <- function(tr) switch(model,
                               naive = naive(tr, h = H, level = levels),
                               snaive = snaive(tr, h = H, level = levels),
                               drift = rwf(tr, h = H, drift = TRUE,
                                           level = levels),
                               mean = meanf(tr, h = H, level = levels))
    e <- act <- numeric()
    inside <- matrix(0, 0, length(levels))
    origins <- N:(n - H)
    for (o in origins) {
        tr <- ts(as.numeric(y)[1:o], start = start(y), frequency = fr)
        fc <- fcf(tr)
        a <- as.numeric(y)[(o + 1):(o + H)]
        e <- c(e, a - as.numeric(fc$mean))
        act <- c(act, a)
        inside <- rbind(inside, sapply(seq_along(levels), function(L)
            as.numeric(a >= fc$lower[, L] & a <= fc$upper[, L])))
    }
    lag <- if (fr > 1) fr else 1
    scale <- mean(abs(diff(as.numeric(y)[1:N], lag = lag)))
    me <- mean(e); rmse <- sqrt(mean(e^2)); mae <- mean(abs(e))
    mpe <- mean(100 * e / act); mape <- mean(abs(100 * e / act))
    mase <- mae / scale
    if (length(origins) == 1) {
        tr <- ts(as.numeric(y)[1:N], start = start(y), frequency = fr)
        actual <- ts(as.numeric(y)[(N + 1):(N + H)], start = tsp(tr)[2] + 1 / fr,
                     frequency = fr)
        acc <- accuracy(fcf(tr), actual)["Test set", ]
        stopifnot(abs(acc["ME"] - me) < 1e-9 * max(1, abs(me)),
                  abs(acc["RMSE"] - rmse) < 1e-9 * rmse,
                  abs(acc["MAE"] - mae) < 1e-9 * mae,
                  abs(acc["MPE"] - mpe) < 1e-9 * max(1, abs(mpe)),
                  abs(acc["MAPE"] - mape) < 1e-9 * mape,
                  abs(acc["MASE"] - mase) < 1e-9 * mase)
    }
    checks <- list(ck("origins", length(origins)),
                   ck("me", me, 1e-9, 1e-9), ck("mae", mae, 1e-9, 1e-9),
                   ck("rmse", rmse, 1e-9, 1e-9), ck("mpe", mpe, 1e-9, 1e-9),
                   ck("mape", mape, 1e-9, 1e-9), ck("mase", mase, 1e-9, 1e-9))
    for (L in seq_along(levels)) {
        checks <- c(checks, list(ck(sprintf("coverage[level=%d].rate",
                                            levels[L]),
                                    mean(inside[, L]), 1e-9, 1e-12)))
    }
    args <- c("backtest", "input.csv", "--value", value, "--model", model,
              "--horizon", as.character(H), "--initial", as.character(N),
              "--level", paste(levels, collapse = ","), "--format", "json")
    call <- switch(model, naive = "naive", snaive = "snaive",
                   drift = "rwf(drift = TRUE)", mean = "meanf")
    src <- paste0(what, sprintf(paste0(
        "origins %d..%d (%d): forecast::%s fitted to y[1..origin], h = %d, ",
        "level = c(%s); errors pooled (%d): ME, RMSE, MAE, MPE, MAPE as ",
        "forecast::accuracy; MASE = MAE / mean(abs(diff(y[1:%d], lag = %d))); ",
        "coverage = share of actuals within [lower, upper]%s"),
        N, n - H, length(origins), call, H, paste(levels, collapse = ", "),
        length(e), N, lag,
        if (length(origins) == 1)
            "; equals accuracy(forecast(fit_on_first_N, h = H), actual)['Test set', ]"
        else ""))
    write_case(name, args, src, checks)
}

copy_input("ldeaths-ets-aaa", "ldeaths-backtest-snaive-one-origin")
backtest_case("ldeaths-backtest-snaive-one-origin", s_e5, "deaths", "snaive",
              N = 60, H = 12, what = "y = R datasets::ldeaths; ")
copy_input("lakehuron-arma11-mean", "lakehuron-backtest-naive-pooled")
backtest_case("lakehuron-backtest-naive-pooled", s_lhu, "level", "naive",
              N = 80, H = 3, what = "y = R datasets::LakeHuron (annual); ")
copy_input("austres-arima210-drift", "austres-backtest-drift-pooled")
backtest_case("austres-backtest-drift-pooled", s_aus, "austres", "drift",
              N = 60, H = 4, what = "y = R datasets::austres (quarterly); ")
copy_input("usaccdeaths-airline", "usaccdeaths-backtest-snaive-pooled")
backtest_case("usaccdeaths-backtest-snaive-pooled", s_usa, "deaths", "snaive",
              N = 48, H = 6, what = "y = R datasets::USAccDeaths; ")
copy_input("nile-ets-mnn", "nile-backtest-drift-one-origin")
backtest_case("nile-backtest-drift-one-origin", s_e8, "flow", "drift",
              N = 90, H = 10, what = "y = R datasets::Nile (annual); ")
copy_input("wwwusage-arima111", "wwwusage-backtest-mean-pooled")
backtest_case("wwwusage-backtest-mean-pooled", s_www, "usage", "mean",
              N = 70, H = 5, what = "y = R datasets::WWWusage (as years); ")

## ====================================================== more edge cases

# Monthly series starting in July: dummies by calendar month (January the
# baseline whatever the first month), Fourier terms by position.
ukd_jul <- window(UKDriverDeaths, start = c(1970, 7))
s_x1 <- write_series("ukdriverdeaths-july-start-trend-dummies",
                     drivers = ukd_jul)
ts_case("ukdriverdeaths-july-start-trend-dummies", "trend", s_x1, "drivers",
        family = "poisson", season = "dummies",
        what = "y = window(R datasets::UKDriverDeaths, start = c(1970, 7)); ")
copy_input("ukdriverdeaths-july-start-trend-dummies",
           "ukdriverdeaths-july-start-its-fourier-level2")
ts_case("ukdriverdeaths-july-start-its-fourier-level2", "its", s_x1,
        "drivers", family = "quasipoisson", season = "fourier:3",
        breaks = c("1974-01", "1983-02"), change = "level", cf = TRUE,
        what = "y = window(R datasets::UKDriverDeaths, start = c(1970, 7)); ")

# Quarterly series starting in Q3.
gas_q3 <- window(round(UKgas), start = c(1960, 3))
s_x2 <- write_series("ukgas-q3-start-poisson-its-slope", gas = gas_q3)
ts_case("ukgas-q3-start-poisson-its-slope", "its", s_x2, "gas",
        family = "poisson", season = "dummies", breaks = "1979-Q2",
        change = "slope", cf = TRUE,
        what = "y = window(round(R datasets::UKgas), start = c(1960, 3)); ")

# Count families with HC errors in trend and its.
copy_input("simulated-negbin-its-fourier", "simulated-negbin-trend-hc3")
ts_case("simulated-negbin-trend-hc3", "trend", s_nb, "attacks",
        family = "negbin", season = "dummies", robust = "hc3",
        what = "y = the simulated series of simulated-negbin-its-fourier; ")
copy_input("ldeaths-quasipoisson-its-level-fourier6",
           "ldeaths-quasipoisson-its-hc0")
ts_case("ldeaths-quasipoisson-its-hc0", "its", s_ld2, "deaths",
        family = "quasipoisson", season = "fourier:1", breaks = "1977-01",
        robust = "hc0",
        what = "y = R datasets::ldeaths; quasipoisson with HC0: z tests; ")

# ARIMA: d = 2; seasonal AR with a mean; --log with drift; other levels.
copy_input("austres-arima210-drift", "austres-arima022")
arima_case("austres-arima022", s_aus, "austres", c(0, 2, 2), h = 8,
           what = "y = R datasets::austres (quarterly); ")
s_not <- write_series("nottem-sarima-mean", temp = nottem)
arima_case("nottem-sarima-mean", s_not, "temp", c(1, 0, 0), c(1, 0, 1),
           h = 12, levels = c(50, 90),
           what = "y = R datasets::nottem; levels 50 and 90; ")
copy_input("austres-arima210-drift", "austres-log-arima011-drift")
arima_case("austres-log-arima011-drift", s_aus, "austres", c(0, 1, 1),
           drift = TRUE, log = TRUE, h = 8,
           what = "y = R datasets::austres (quarterly), --log; ")
copy_input("lh-ar2-mean", "lh-ma2-mean")
arima_case("lh-ma2-mean", s_lhx, "lh", c(0, 0, 2), h = 4,
           what = "y = R datasets::lh (as years 1901-1948); ")

# ETS: damped additive seasonal; multiplicative error with damped trend.
copy_input("nottem-sarima-mean", "nottem-ets-aada")
ets_case("nottem-ets-aada", s_not, "temp", "AAA", damped = TRUE, h = 12,
         what = "y = R datasets::nottem; ")
copy_input("wwwusage-arima111", "wwwusage-ets-madn")
ets_case("wwwusage-ets-madn", s_www, "usage", "MAN", damped = TRUE, h = 10,
         what = "y = R datasets::WWWusage (as years 1901-2000); ")

# Automatic ARIMA on a longer monthly series (n = 240 > 150).
copy_input("nottem-sarima-mean", "nottem-auto-arima")
auto_arima_case("nottem-auto-arima", s_not, "temp", h = 12,
                what = "y = R datasets::nottem (n = 240 > 150: approximate search); ")
copy_input("nottem-sarima-mean", "nottem-ets-auto")
ets_auto_case("nottem-ets-auto", s_not, "temp", h = 12,
              what = "y = R datasets::nottem; ")

# ARIMA models whose exact-likelihood optimum is interior but where a
# conditional-sum-of-squares start (with the mean concentrated out) runs to
# the unit-root boundary, or where ARMA(2,2) has several local optima.
s_bj <- write_series("bjsales-ar2-mean", sales = annual(BJsales, 1801))
arima_case("bjsales-ar2-mean", s_bj, "sales", c(2, 0, 0), h = 6,
           what = "y = R datasets::BJsales (150 values, written as years 1801-1950); ")
copy_input("co2-log-sarima", "co2-ar1-sar1-mean")
arima_case("co2-ar1-sar1-mean", s_co2, "co2", c(1, 0, 0), c(1, 0, 0), h = 12,
           what = "y = R datasets::co2; ")
s_jj <- write_series("johnsonjohnson-log-arima212", earnings = JohnsonJohnson)
arima_case("johnsonjohnson-log-arima212", s_jj, "earnings", c(2, 1, 2),
           log = TRUE, h = 8,
           what = "y = R datasets::JohnsonJohnson (quarterly), --log; ")

# A second series where R's default (approximate) stepwise search finds a
# model with a lower AICc than the exact-likelihood stepwise search.
s_dk <- write_series("driverskilled-auto-arima",
                     DriversKilled = sb[, "DriversKilled"])
auto_arima_case("driverskilled-auto-arima", s_dk, "DriversKilled", h = 12,
                what = "y = R datasets::Seatbelts[, 'DriversKilled'] (n = 192 > 150: approximate search); ")
