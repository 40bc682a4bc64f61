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
unlink(cases_dir, recursive = TRUE)
dir.create(cases_dir, showWarnings = FALSE)

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

fit_family <- function(formula, data, family, offset = NULL, weights = NULL) {
    data$.off <- if (is.null(offset)) 0 else offset
    data$.w <- if (is.null(weights)) 1 else weights
    if (family == "gaussian") {
        if (is.null(weights)) lm(formula, data = data)
        else lm(formula, data = data, weights = .w)
    } else if (family == "negbin") {
        f <- update(formula, . ~ . + offset(.off))
        if (is.null(weights)) glm.nb(f, data = data, control = ctl_nb)
        else glm.nb(f, data = data, weights = .w, control = ctl_nb)
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
        negbin = "MASS::glm.nb(%s%s, control = glm.control(epsilon = 1e-12, maxit = 100))")
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
