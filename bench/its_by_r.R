# SPDX-License-Identifier: MIT
# R peer for bench/its_by.sh: per district the Poisson segmented regression
# of `tally its --break 2010-01 --family poisson --season dummies` (terms
# intercept, time, level, slope, month2..month12), with glm() (formula) and
# with glm.fit() on a prebuilt design.  Prints: fits seconds_glm
# seconds_glmfit sum_of_level_coefficients.
args <- commandArgs(TRUE)
d <- read.csv(args[1])
ys <- split(d$attacks, d$district)
n <- length(ys[[1]])
months <- d$month[seq_len(n)]
time <- seq_len(n)
b <- match("2010-01", months)
level <- as.numeric(time >= b)
slope <- ifelse(time >= b, time - b + 1, 0)
month <- factor(as.integer(substr(months, 6, 7)), levels = 1:12)
t0 <- proc.time()[["elapsed"]]
s1 <- 0
for (y in ys) {
    s1 <- s1 + coef(glm(y ~ time + level + slope + month,
                        family = poisson))[["level"]]
}
t1 <- proc.time()[["elapsed"]]
X <- model.matrix(~ time + level + slope + month)
s2 <- 0
for (y in ys) {
    s2 <- s2 + glm.fit(X, y, family = poisson())$coefficients[["level"]]
}
t2 <- proc.time()[["elapsed"]]
cat(length(ys), t1 - t0, t2 - t1, sprintf("%.12g", s1), "\n")
