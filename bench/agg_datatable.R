# SPDX-License-Identifier: MIT
# The benchmark's aggregation in R data.table: monthly incidents by
# province and the sum of FATALITIES with non-counts (Unknown, blank,
# negative) as missing, as `tally aggregate FILE --date DATE --by PROVINCE
# --sum FATALITIES` computes it (province trimmed, blank written NA).
# Usage: Rscript agg_datatable.R EVENTS.csv OUT.csv THREADS
suppressPackageStartupMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
setDTthreads(as.integer(args[3]))
dt <- fread(args[1], select = c("DATE", "PROVINCE", "FATALITIES"),
            colClasses = "character", na.strings = NULL, showProgress = FALSE)
dt[, month := substr(DATE, 1L, 7L)]
dt[, prov := trimws(PROVINCE)]
dt[prov == "", prov := "NA"]
dt[, f := suppressWarnings(as.numeric(FATALITIES))]
dt[f < 0, f := NA_real_]
res <- dt[, .(incidents = .N, FATALITIES = sum(f, na.rm = TRUE),
              FATALITIES_missing = sum(is.na(f))),
          keyby = .(month, PROVINCE = prov)]
fwrite(res, args[2])
