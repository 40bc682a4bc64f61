# SPDX-License-Identifier: MIT
# R's side of bench/ets.sh: forecast::ets(y) (ets:auto) on every series of
# a grouped series file, CPU time of each fit.  Writes group,method,aicc,
# loglik,seconds.  Usage: Rscript ets_r.R SERIES.csv OUT.csv
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
res <- list()
for (g in unique(d$group)) {
  s <- d[d$group == g, ]
  st <- as.integer(strsplit(s$month[1], "-")[[1]])
  y <- ts(s$y, frequency = 12, start = st)
  # CPU time (user + system): robust to other load on the machine.
  p0 <- proc.time()
  fit <- tryCatch(ets(y), error = function(e) NULL)
  p1 <- proc.time()
  t0 <- p0[["user.self"]] + p0[["sys.self"]]
  t1 <- p1[["user.self"]] + p1[["sys.self"]]
  if (is.null(fit)) {
    res[[length(res) + 1]] <- data.frame(group = g, method = "error", aicc = NA,
                                         loglik = NA, seconds = t1 - t0)
  } else {
    # A constant series gives a model without information criteria.
    na <- function(v) if (is.null(v)) NA else v
    res[[length(res) + 1]] <- data.frame(group = g, method = fit$method,
                                         aicc = na(fit$aicc),
                                         loglik = na(fit$loglik),
                                         seconds = t1 - t0)
  }
}
write.csv(do.call(rbind, res), args[2], row.names = FALSE)
