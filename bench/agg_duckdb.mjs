// SPDX-License-Identifier: MIT
// The benchmark's aggregation in DuckDB (@duckdb/node-api): monthly
// incidents by province and the sum of FATALITIES with non-counts
// (Unknown, blank, negative) as missing, as `tally aggregate FILE --date
// DATE --by PROVINCE --sum FATALITIES` computes it (province trimmed,
// blank written NA).  Every column is read as text, as by the others.
// Usage: node agg_duckdb.mjs EVENTS.csv OUT.csv THREADS
import { DuckDBInstance } from '@duckdb/node-api';

const [src, out, threads] = process.argv.slice(2);
const quote = (s) => "'" + s.replaceAll("'", "''") + "'";
const inst = await DuckDBInstance.create(':memory:', { threads: threads });
const con = await inst.connect();
await con.run(`
COPY (
  SELECT substr(DATE, 1, 7) AS month,
         coalesce(nullif(trim(PROVINCE), ''), 'NA') AS PROVINCE,
         count(*) AS incidents,
         coalesce(sum(f), 0) AS FATALITIES,
         count(*) - count(f) AS FATALITIES_missing
  FROM (SELECT DATE, PROVINCE,
               CASE WHEN TRY_CAST(trim(FATALITIES) AS DOUBLE) >= 0
                    THEN TRY_CAST(trim(FATALITIES) AS DOUBLE) END AS f
        FROM read_csv(${quote(src)}, header = true, all_varchar = true))
  GROUP BY ALL ORDER BY month, PROVINCE
) TO ${quote(out)} (HEADER, DELIMITER ',')`);
