# SPDX-License-Identifier: MIT
# Series for bench/arima.sh: monthly series of 72 months (and a few
# longer), written one per CSV file (month,y) into OUTDIR, with an index.
# Sources, in order, until S series: windows of monthly incident counts
# by province and in total from the GTD Pakistan extract in ../shared/data
# (read at run time, never copied into the repository), windows of R's
# monthly datasets, simulated seasonal ARIMA series and simulated count
# series.  Seeded: the same S gives the same series.
# Usage: Rscript bench/arima_gen.R S OUTDIR [SHARED_DIR]
args <- commandArgs(TRUE)
S <- as.integer(args[1]); out <- args[2]
shared <- if (length(args) >= 3) args[3] else "../shared"
set.seed(20240601)
series <- list(); src <- character()
add <- function(y, start, name) {
  y <- as.numeric(y)
  if (length(unique(y[!is.na(y)])) < 3) return(invisible())
  series[[length(series) + 1]] <<- list(y = y, start = start)
  src <<- c(src, name)
}
win <- function(y, start, name, len = 72, step = 12) {
  n <- length(y); i <- 1
  while (i + len - 1 <= n) {
    st <- start + (i - 1)
    add(y[i:(i + len - 1)], st, sprintf("%s[%d]", name, i))
    i <- i + step
  }
}
# 1. GTD Pakistan: monthly incidents and fatalities, total and by province.
gtd <- file.path(shared, "data/gtd-pakistan-2001-2020/gtd_pakistan_2001_2020_slim.csv")
if (file.exists(gtd)) {
  d <- read.csv(gtd, stringsAsFactors = FALSE)
  d$m <- as.integer(substr(d$DATE, 1, 4)) * 12 + as.integer(substr(d$DATE, 6, 7)) - 1
  months <- (2002 * 12):(2020 * 12 + 11)
  cnt <- function(rows, w = NULL) {
    v <- if (is.null(w)) rep(1, sum(rows)) else suppressWarnings(as.numeric(w[rows]))
    v[is.na(v)] <- 0
    as.numeric(tapply(c(v, rep(0, length(months))),
                      factor(c(d$m[rows], months), levels = months), sum))
  }
  all <- rep(TRUE, nrow(d))
  win(cnt(all), 2002 * 12, "gtd:incidents")
  win(cnt(all, d$FATALITIES), 2002 * 12, "gtd:fatalities")
  for (p in sort(unique(d$PROVINCE))) {
    r <- d$PROVINCE == p
    if (sum(r) > 500) win(cnt(r), 2002 * 12, paste0("gtd:", p))
  }
}
# 2. R's monthly datasets.
sb <- Seatbelts
for (nm in c("AirPassengers", "USAccDeaths", "ldeaths", "mdeaths", "fdeaths",
             "nottem", "co2", "UKDriverDeaths")) {
  y <- get(nm); st <- round(start(y)[1] * 12 + start(y)[2] - 1)
  win(y, st, nm, step = 24)
}
for (col in c("DriversKilled", "front", "rear", "VanKilled")) {
  win(sb[, col], 1969 * 12, paste0("Seatbelts:", col), step = 24)
}
# 3. Simulated seasonal ARIMA and 4. count series, alternating.
k <- 0
while (length(series) < S) {
  k <- k + 1
  if (k %% 2 == 1) {
    p <- sample(0:2, 1); q <- sample(0:2, 1); P <- sample(0:1, 1); Q <- sample(0:1, 1)
    d <- sample(0:1, 1); D <- sample(0:1, 1, prob = c(0.4, 0.6))
    ar <- if (p) runif(p, -0.5, 0.5) / p else NULL
    ma <- if (q) runif(q, -0.6, 0.6) / q else NULL
    sar <- if (P) runif(1, -0.6, 0.6) else 0
    sma <- if (Q) runif(1, -0.7, 0.3) else 0
    e <- arima.sim(list(ar = ar, ma = ma), n = 72 + 36)
    # seasonal factor: (1 - sar B^12) w = (1 + sma B^12) e
    w <- as.numeric(stats::filter(e, c(1, rep(0, 11), sma), sides = 1))
    w[is.na(w)] <- e[is.na(w)]
    w <- as.numeric(stats::filter(w, c(rep(0, 11), sar), method = "recursive"))
    if (D) w <- as.numeric(stats::filter(w, c(rep(0, 11), 1), method = "recursive"))
    if (d) w <- cumsum(w)
    y <- 100 + 5 * tail(w, 72)
    add(round(y, 3), 2010 * 12, sprintf("sim:ARIMA(%d,%d,%d)(%d,%d,%d)", p, d, q, P, D, Q))
  } else {
    n <- 72; tt <- 1:n
    lev <- runif(1, 1, 4); tr <- runif(1, -0.01, 0.02); amp <- runif(1, 0, 0.6)
    lat <- as.numeric(arima.sim(list(ar = runif(1, 0, 0.8)), n = n, sd = 0.25))
    mu <- exp(lev + tr * tt + amp * sin(2 * pi * tt / 12 + runif(1, 0, 6)) + lat)
    y <- if (runif(1) < 0.5) rpois(n, mu) else rnbinom(n, size = 5, mu = mu)
    add(y, 2010 * 12, "sim:counts")
  }
}
series <- series[1:S]; src <- src[1:S]
dir.create(out, showWarnings = FALSE)
idx <- character(S)
for (i in seq_len(S)) {
  s <- series[[i]]; n <- length(s$y)
  m <- s$start + 0:(n - 1)
  per <- sprintf("%04d-%02d", m %/% 12, m %% 12 + 1)
  f <- sprintf("s%04d.csv", i)
  write.csv(data.frame(month = per, y = s$y), file.path(out, f), row.names = FALSE, quote = FALSE)
  idx[i] <- paste(f, src[i], sep = "\t")
}
writeLines(idx, file.path(out, "index.tsv"))
