# SPDX-License-Identifier: MIT
# R side of bench/arima.sh: forecast::auto.arima (defaults) on every series
# listed in DIR/index.tsv; prints file, p d q P D Q, constant, AICc and
# the CPU seconds (user + system) of each fit.
# Usage: Rscript bench/arima_r.R DIR
suppressMessages(library(forecast))
dir <- commandArgs(TRUE)[1]
idx <- read.delim(file.path(dir, "index.tsv"), header = FALSE, stringsAsFactors = FALSE)
for (f in idx[[1]]) {
  x <- read.csv(file.path(dir, f))
  st <- as.integer(strsplit(x$month[1], "-")[[1]])
  y <- ts(x$y, start = st, frequency = 12)
  t0 <- proc.time()
  fit <- tryCatch(auto.arima(y), error = function(e) NULL)
  t1 <- proc.time()
  el <- (t1[["user.self"]] + t1[["sys.self"]]) - (t0[["user.self"]] + t0[["sys.self"]])
  if (is.null(fit)) { cat(f, "NA NA NA NA NA NA NA NA", el, "\n"); next }
  a <- fit$arma
  const <- as.integer(any(c("intercept", "drift") %in% names(coef(fit))))
  cat(f, a[1], a[6], a[2], a[3], a[7], a[4], const, sprintf("%.10g", fit$aicc), sprintf("%.4f", el), "\n")
}
