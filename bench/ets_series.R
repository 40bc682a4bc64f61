# SPDX-License-Identifier: MIT
# Monthly test series for bench/ets.sh, written as one grouped series
# file (month, group, y): 72-month windows of R's monthly datasets, monthly
# incident counts from the GTD extract in ../shared (when present), and
# series simulated from ETS models with random parameters (seeded).
# Usage: Rscript ets_series.R OUT.csv [SHARED_DIR] [N_SIM]
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
out <- args[1]
shared <- if (length(args) >= 2) args[2] else ""
nsim <- if (length(args) >= 3) as.integer(args[3]) else 120
len <- 72
rows <- list()
add <- function(id, y) {
  y <- ts(as.numeric(y), frequency = 12, start = start(y))
  st <- start(y)
  months <- seq(as.Date(sprintf("%04d-%02d-01", st[1], st[2])), by = "month",
                length.out = length(y))
  rows[[length(rows) + 1]] <<- data.frame(month = format(months, "%Y-%m"),
                                          group = id, y = as.numeric(y))
}
# Windows of R's monthly data sets (every 24 months).
sets <- list(AirPassengers = AirPassengers, USAccDeaths = USAccDeaths,
             ldeaths = ldeaths, mdeaths = mdeaths, fdeaths = fdeaths,
             nottem = nottem, co2 = co2, UKDriverDeaths = UKDriverDeaths,
             drivers = Seatbelts[, "drivers"], front = Seatbelts[, "front"],
             rear = Seatbelts[, "rear"], kms = Seatbelts[, "kms"],
             petrol = Seatbelts[, "PetrolPrice"],
             sunspots = window(sunspot.month, start = c(1950, 1),
                               end = c(1999, 12)))
for (nm in names(sets)) {
  y <- sets[[nm]]
  n <- length(y)
  off <- 0
  while (off + len <= n) {
    w <- window(y, start = time(y)[off + 1], end = time(y)[off + len])
    add(sprintf("%s_%03d", nm, off), w)
    off <- off + 24
  }
}
# GTD monthly incident counts, 2009-2020, by province and by attack type.
gtd <- file.path(shared, "data/gtd-pakistan-2001-2020/gtd_pakistan_2001_2020_slim.csv")
if (nzchar(shared) && file.exists(gtd)) {
  d <- read.csv(gtd, stringsAsFactors = FALSE)
  d$m <- substr(d$DATE, 1, 7)
  months <- format(seq(as.Date("2009-01-01"), as.Date("2020-12-01"), by = "month"), "%Y-%m")
  for (col in c("PROVINCE", "ATTACK.TYPE")) {
    for (v in names(which(table(d[[col]]) >= 150))) {
      cnt <- table(factor(d$m[d[[col]] == v], levels = months))
      y <- ts(as.numeric(cnt), frequency = 12, start = c(2009, 1))
      for (off in c(0, 36, 72)) {
        w <- window(y, start = time(y)[off + 1], end = time(y)[off + len])
        add(sprintf("gtd_%s_%03d", gsub("[^A-Za-z]", "", v), off), w)
      }
    }
  }
}
# Simulated ETS series with random parameters.
set.seed(20240101)
forms <- c("ANN", "AAN", "ANA", "AAA", "MNN", "MAN", "MNM", "MAM", "MNA", "MAA")
for (i in seq_len(nsim)) {
  f <- forms[(i - 1) %% length(forms) + 1]
  e <- substr(f, 1, 1); tr <- substr(f, 2, 2); se <- substr(f, 3, 3)
  alpha <- runif(1, 0.05, 0.6)
  beta <- if (tr == "A") runif(1, 0.001, 0.2) * alpha else NULL
  gamma <- if (se != "N") runif(1, 0.001, 0.3) * (1 - alpha) else NULL
  l <- runif(1, 50, 500)
  b <- if (tr == "A") runif(1, -0.5, 1.5) else NULL
  s <- if (se == "A") { z <- rnorm(12, 0, 0.15 * l); z - mean(z) }
       else if (se == "M") { z <- exp(rnorm(12, 0, 0.15)); 12 * z / sum(z) }
       else NULL
  sig <- if (e == "A") 0.05 * l else 0.05
  mod <- list(components = c(e, tr, se, "FALSE"), par = c(alpha = alpha,
              beta = beta, gamma = gamma), m = 12, sigma2 = sig^2,
              states = matrix(c(l, b, s), nrow = 1),
              x = ts(rep(1, 2), frequency = 12, start = c(2000, 1)))
  class(mod) <- "ets"
  y <- NULL
  for (try in 1:20) {
    y <- tryCatch(simulate(mod, nsim = len, future = FALSE), error = function(e) NULL)
    if (!is.null(y) && all(is.finite(y)) && all(y > 0)) break
    y <- NULL
  }
  if (is.null(y)) next
  y <- ts(round(as.numeric(y), 3), frequency = 12, start = c(2000, 1))
  add(sprintf("sim_%s_%03d", f, i), y)
}
d <- do.call(rbind, rows)
write.csv(d, out, row.names = FALSE, quote = FALSE)
cat(length(rows), "series\n")
