# SPDX-License-Identifier: MIT
# R peer for bench/glm.sh: the same Poisson trend + month-dummy model per
# column, with glm() (formula interface) and with glm.fit() on a prebuilt
# design (no formula overhead).  Prints: fits seconds_glm seconds_glmfit sum.
args <- commandArgs(TRUE)
d <- read.csv(args[1], check.names = FALSE)
n <- nrow(d)
time <- seq_len(n)
month <- factor(as.integer(substr(d$month, 6, 7)), levels = 1:12)
cols <- names(d)[-1]
t0 <- proc.time()[["elapsed"]]
s1 <- 0
for (k in cols) {
    y <- d[[k]]
    s1 <- s1 + coef(glm(y ~ time + month, family = poisson))[["time"]]
}
t1 <- proc.time()[["elapsed"]]
X <- model.matrix(~ time + month)
s2 <- 0
for (k in cols) {
    s2 <- s2 + glm.fit(X, d[[k]], family = poisson())$coefficients[["time"]]
}
t2 <- proc.time()[["elapsed"]]
cat(length(cols), t1 - t0, t2 - t1, sprintf("%.12g", s1), "\n")
