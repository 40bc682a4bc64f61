# SPDX-License-Identifier: MIT
#
# A wider, unversioned scan (not a test): fit fixed-order ARIMA and ETS
# models, auto.arima and ets() to many series of R's datasets package with
# R and with tally, and list where tally's log-likelihood is lower than R's
# (or its automatic choice has a higher AICc).  Used to find the cases of
# cases/ that disagree; rerun it after changing the optimisers:
#
#   Rscript tests/reference_extra/sweep.R build/tally [arima|ets|auto ...]
#
# For ARIMA, R's value is the larger of forecast::Arima's log-likelihood
# (approximate diffuse start) and the exact one of the explicitly
# differenced series (what tally computes), so that the gap is tally's.

suppressPackageStartupMessages({
    library(forecast)
    library(jsonlite)
})

args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript sweep.R PATH/TO/tally [arima|ets|auto ...]")
tally <- normalizePath(args[1])
parts <- if (length(args) > 1) args[-1] else c("arima", "ets", "auto")

periods_of <- function(tt, freq) {
    tt <- as.numeric(tt)
    yr <- floor(tt + 1e-6)
    sub <- round((tt - yr) * freq) + 1
    if (freq == 12) sprintf("%04d-%02d", yr, sub)
    else if (freq == 4) sprintf("%04d-Q%d", yr, sub)
    else sprintf("%04d", yr)
}

# Run `tally forecast` on a series; NULL when it fails.
run_tally <- function(y, targs) {
    fr <- frequency(y)
    f <- tempfile(fileext = ".csv")
    on.exit(unlink(f))
    tt <- if (fr == 1 && start(y)[1] < 1000) ts(as.numeric(y), start = 1901) else y
    df <- data.frame(p = periods_of(time(tt), fr), v = as.numeric(y))
    names(df)[1] <- if (fr == 12) "month" else if (fr == 4) "quarter" else "year"
    write.csv(df, f, row.names = FALSE, quote = FALSE)
    out <- suppressWarnings(system2(tally, c("forecast", f, "--value", "v",
                                             targs, "--format", "json"),
                                    stdout = TRUE, stderr = FALSE))
    if (!is.null(attr(out, "status"))) return(NULL)
    fromJSON(paste(out, collapse = "\n"))
}

series <- list(lair = log(AirPassengers), co2 = co2, nottem = nottem,
               lgas = log(UKgas), usacc = USAccDeaths, ldeaths = ldeaths,
               mdeaths = mdeaths, fdeaths = fdeaths, ukdd = UKDriverDeaths,
               ljj = log(JohnsonJohnson), austres = austres, lh = lh,
               huron = LakeHuron, nile = Nile, www = WWWusage,
               sunspot = sunspot.year, llynx = log(lynx), bjs = BJsales,
               front = Seatbelts[, "front"], rear = Seatbelts[, "rear"],
               dk = Seatbelts[, "DriversKilled"], disc = discoveries,
               airmiles = airmiles)
options(width = 200)

if ("arima" %in% parts) {
    models <- list(c(1, 0, 0), c(0, 0, 1), c(1, 0, 1), c(2, 0, 0), c(0, 1, 1),
                   c(1, 1, 0), c(1, 1, 1), c(2, 1, 2), c(0, 2, 2))
    smodels <- list(c(0, 1, 1), c(1, 1, 0), c(1, 0, 0), c(0, 0, 1),
                    c(1, 0, 1), c(2, 1, 0))
    res <- list()
    for (nm in names(series)) {
        y <- series[[nm]]
        fr <- frequency(y)
        combos <- lapply(models, function(o) list(o = o, s = c(0, 0, 0)))
        if (fr > 1) for (so in smodels) for (o in list(c(0, 1, 1), c(1, 0, 0), c(1, 1, 0)))
            combos[[length(combos) + 1]] <- list(o = o, s = so)
        for (cb in combos) {
            o <- cb$o; s <- cb$s; d <- o[2]; D <- s[2]
            fit <- tryCatch(Arima(y, order = o, seasonal = s,
                                  include.mean = (d + D == 0), method = "ML"),
                            error = function(e) NULL)
            if (is.null(fit)) next
            w <- y
            if (D > 0) w <- diff(w, lag = fr)
            if (d > 0) w <- diff(w, differences = d)
            fit2 <- tryCatch(Arima(w, order = c(o[1], 0, o[3]),
                                   seasonal = c(s[1], 0, s[3]),
                                   include.mean = (d + D == 0), method = "ML"),
                             error = function(e) NULL)
            spec <- paste0("arima:", paste(o, collapse = ","),
                           if (any(s != 0)) paste0(":", paste(s, collapse = ",")) else "")
            j <- run_tally(y, c("--model", spec, "--horizon", "6"))
            best <- max(fit$loglik, if (is.null(fit2)) NA else fit2$loglik,
                        na.rm = TRUE)
            res[[length(res) + 1]] <- data.frame(
                series = nm, spec = spec, R = fit$loglik,
                R_exact = if (is.null(fit2)) NA else fit2$loglik,
                tally = if (is.null(j)) NA else j$loglik,
                gap = best - (if (is.null(j)) NA else j$loglik))
        }
    }
    r <- do.call(rbind, res)
    cat("ARIMA: tally's loglik below R's by more than 0.01 (", nrow(r), " fits)\n", sep = "")
    print(r[is.na(r$gap) | r$gap > 0.01, ], digits = 8)
}

if ("ets" %in% parts) {
    nsm <- c("ANN", "AAN", "AAdN", "MNN", "MAN", "MAdN")
    sm <- c("ANA", "AAA", "AAdA", "MNA", "MAA", "MAdA", "MNM", "MAM", "MAdM")
    res <- list()
    for (nm in names(series)) {
        y <- series[[nm]]
        if (any(y <= 0)) next
        mods <- if (frequency(y) > 1) c(nsm, sm) else nsm
        for (md in mods) {
            fit <- tryCatch(ets(y, model = sub("d", "", md), damped = grepl("d", md)),
                            error = function(e) NULL)
            if (is.null(fit)) next
            j <- run_tally(y, c("--model", paste0("ets:", md), "--horizon", "6"))
            res[[length(res) + 1]] <- data.frame(
                series = nm, model = md, R = fit$loglik,
                tally = if (is.null(j)) NA else j$loglik,
                gap = fit$loglik - (if (is.null(j)) NA else j$loglik),
                name_ok = !is.null(j) && j$model == fit$method)
        }
    }
    r <- do.call(rbind, res)
    cat("ETS: tally's loglik below R's by more than 0.01, or another model name (",
        nrow(r), " fits; tally higher by > 0.5 in ", sum(r$gap < -0.5, na.rm = TRUE),
        ")\n", sep = "")
    print(r[is.na(r$gap) | r$gap > 0.01 | !r$name_ok, ], digits = 8)
}

if ("auto" %in% parts) {
    res <- list()
    for (nm in names(series)) {
        y <- series[[nm]]
        fa <- auto.arima(y)
        ja <- run_tally(y, c("--model", "arima:auto", "--horizon", "2"))
        fe <- tryCatch(ets(y), error = function(e) NULL)
        je <- run_tally(y, c("--model", "ets:auto", "--horizon", "2"))
        res[[length(res) + 1]] <- data.frame(
            series = nm, n = length(y), R_aicc = fa$aicc,
            tally_aicc = if (is.null(ja)) NA else ja$aicc,
            tally_model = if (is.null(ja)) NA else ja$model,
            R_ets_aicc = if (is.null(fe)) NA else fe$aicc,
            tally_ets_aicc = if (is.null(je)) NA else je$aicc)
    }
    r <- do.call(rbind, res)
    r$d_arima <- r$tally_aicc - r$R_aicc
    r$d_ets <- r$tally_ets_aicc - r$R_ets_aicc
    cat("Automatic: tally's AICc minus R's (positive: R's choice is better)\n")
    print(r, digits = 8)
}
