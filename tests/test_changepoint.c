/* SPDX-License-Identifier: MIT
 *
 * Change points against R's strucchange 1.5-3 (R 4.2.2): Bai-Perron dating
 * with BIC, confidence intervals for break dates, segment estimates, the
 * sup-F / ave-F / exp-F tests with Hansen's p-values, OLS-CUSUM and Chow,
 * on the Nile, log UK driver deaths and a simulated series, for the mean
 * and the trend model; the building blocks (Hansen p-values, the Bai 1997
 * argmax law, the Brownian-bridge p-value) on a grid; and each error.
 *
 * Expected values were printed by R with the script in the comments
 * (`show(label, y, model, chow = R's point)`), where
 *   bp <- breakpoints(f, h = 0.15); s <- summary(bp)   # RSS, BIC rows
 *   confint(bp, breaks = m); coef(bp, breaks = m)
 *   fs <- Fstats(f, from = 0.15); sctest(fs, type = "supF"|"aveF"|"expF")
 *   sctest(efp(f, type = "OLS-CUSUM"))
 *   sctest(f, type = "Chow", point = P)
 * with f = y ~ 1 (mean) or y ~ t, t = 1:n (trend).  R numbers breaks by
 * the last observation of the old regime (1-based), which is our 0-based
 * index of the first observation of the new regime: the same integer.
 *
 * Tolerances: strucchange sums recursive residuals and refits by QR; we
 * use two-pass sums and Welford updates, so sums of squares, F statistics
 * and criteria agree to rounding, far inside rtol 1e-9.  p-values: R takes
 * 1 - pchisq / 1 - pf, whose absolute error is about 1.1e-16 (one ulp of
 * 1), while GSL returns the upper tail directly: atol 1e-15 plus rtol 1e-7
 * for the approximation's polynomial evaluated in a different order.
 * Break dates and interval ends are integers and must match exactly.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "tally/tally_changepoint.h"
#include "tally/tally_status.h"

/* R: as.numeric(datasets::Nile) (annual flow at Aswan, 1871-1970). */
static const double nile[100] = {
    1120, 1160, 963, 1210, 1160, 1160, 813, 1230, 1370, 1140, 995, 935,
    1110, 994, 1020, 960, 1180, 799, 958, 1140, 1100, 1210, 1150, 1250,
    1260, 1220, 1030, 1100, 774, 840, 874, 694, 940, 833, 701, 916, 692,
    1020, 1050, 969, 831, 726, 456, 824, 702, 1120, 1100, 832, 764, 821,
    768, 845, 864, 862, 698, 845, 744, 796, 1040, 759, 781, 865, 845,
    944, 984, 897, 822, 1010, 771, 676, 649, 846, 812, 742, 801, 1040,
    860, 874, 848, 890, 744, 749, 838, 1050, 918, 986, 797, 923, 975,
    815, 1020, 906, 901, 1170, 912, 746, 919, 718, 714, 740
};

/* R: as.numeric(datasets::UKDriverDeaths) (monthly, 1969-01..1984-12);
 * the tests use log(y). */
static const double ukdd[192] = {
    1687, 1508, 1507, 1385, 1632, 1511, 1559, 1630, 1579, 1653, 2152,
    2148, 1752, 1765, 1717, 1558, 1575, 1520, 1805, 1800, 1719, 2008,
    2242, 2478, 2030, 1655, 1693, 1623, 1805, 1746, 1795, 1926, 1619,
    1992, 2233, 2192, 2080, 1768, 1835, 1569, 1976, 1853, 1965, 1689,
    1778, 1976, 2397, 2654, 2097, 1963, 1677, 1941, 2003, 1813, 2012,
    1912, 2084, 2080, 2118, 2150, 1608, 1503, 1548, 1382, 1731, 1798,
    1779, 1887, 2004, 2077, 2092, 2051, 1577, 1356, 1652, 1382, 1519,
    1421, 1442, 1543, 1656, 1561, 1905, 2199, 1473, 1655, 1407, 1395,
    1530, 1309, 1526, 1327, 1627, 1748, 1958, 2274, 1648, 1401, 1411,
    1403, 1394, 1520, 1528, 1643, 1515, 1685, 2000, 2215, 1956, 1462,
    1563, 1459, 1446, 1622, 1657, 1638, 1643, 1683, 2050, 2262, 1813,
    1445, 1762, 1461, 1556, 1431, 1427, 1554, 1645, 1653, 2016, 2207,
    1665, 1361, 1506, 1360, 1453, 1522, 1460, 1552, 1548, 1827, 1737,
    1941, 1474, 1458, 1542, 1404, 1522, 1385, 1641, 1510, 1681, 1938,
    1868, 1726, 1456, 1445, 1456, 1365, 1487, 1558, 1488, 1684, 1594,
    1850, 1998, 2079, 1494, 1057, 1218, 1168, 1236, 1076, 1174, 1139,
    1427, 1487, 1483, 1513, 1357, 1165, 1282, 1110, 1297, 1185, 1222,
    1284, 1444, 1575, 1737, 1763
};

/* R: set.seed(20240601); round(c(rnorm(40, 10, 2), rnorm(30, 16, 2),
 * rnorm(50, 12, 3)), 2) */
static const double sim[120] = {
    10.61, 14.45, 9.54, 9.13, 8.99, 7.75, 12.98, 12.60, 12.52, 9.77,
    10.66, 10.59, 11.26, 12.03, 11.03, 12.74, 10.23, 10.21, 13.59,
    11.54, 7.50, 10.47, 11.92, 11.24, 8.52, 8.31, 8.30, 13.29, 11.66,
    6.92, 8.87, 8.74, 7.33, 6.52, 8.92, 12.57, 6.60, 13.63, 7.24, 11.55,
    12.00, 17.49, 14.69, 15.02, 11.83, 15.56, 13.98, 12.98, 16.55,
    18.48, 14.44, 16.87, 15.76, 16.56, 18.53, 16.35, 15.21, 17.44,
    18.15, 13.92, 12.92, 15.68, 15.82, 16.88, 16.73, 17.54, 17.27,
    15.14, 17.03, 19.46, 14.45, 13.68, 14.71, 7.55, 5.33, 13.91, 16.14,
    17.18, 9.22, 10.76, 14.57, 15.00, 10.97, 13.79, 11.65, 12.94, 18.06,
    17.24, 8.96, 12.88, 15.81, 14.45, 13.20, 10.93, 11.80, 15.90, 11.93,
    10.11, 13.57, 9.72, 10.59, 9.99, 10.04, 7.48, 10.75, 6.07, 8.87,
    10.51, 16.53, 16.79, 14.16, 9.57, 6.79, 6.39, 17.01, 18.39, 13.27,
    7.94, 19.12, 13.01
};

#define RTOL 1e-9
#define PTOL_ABS 1e-15
#define PTOL_REL 1e-7

static int close_to(double got, double want, double rtol, double atol)
{
    return fabs(got - want) <= atol + rtol * fabs(want);
}

#define EXPECT_NEAR(got, want, rtol, atol)                                  \
    cr_expect(close_to((got), (want), (rtol), (atol)),                       \
              "%s = %.17g, expected %.17g", #got, (double)(got),           \
              (double)(want))

/* What strucchange reports for one series and model. */
typedef struct {
    size_t M;             /* candidates 0..M breaks */
    double rss[6];        /* summary(bp)$RSS["RSS", ] */
    double bic[6];        /* summary(bp)$RSS["BIC", ] */
    size_t m;             /* breaks chosen by BIC */
    size_t bp[3];         /* breakpoints(bp, breaks = m) */
    long ci[3][2];        /* confint(bp, breaks = m): 2.5 %, 97.5 % */
    double coef[3][2];    /* coef(bp, breaks = m) */
    size_t fs_break;      /* Fstats(...)$breakpoint */
    double supf[2], avef[2], expf[2], cusum[2]; /* statistic, p-value */
    long chow_point;      /* sctest(type = "Chow", point = P), -1: none */
    double chow[2];
} r_ref;

static void check_against(const double *y, size_t n, tally_cp_model model,
                          const r_ref *ref)
{
    tally_cp_options o;
    tally_cp_options_init(&o);
    o.model = model;
    o.chow = ref->chow_point;
    tally_cp_result *r = NULL;
    cr_assert_eq(tally_cp_fit(y, n, &o, &r), TALLY_OK, "%s",
                 tally_last_error());
    size_t k = model == TALLY_CP_TREND ? 2 : 1;
    cr_expect_eq(r->n, n);
    cr_expect_eq(r->h, (size_t)floor(0.15 * (double)n));
    cr_assert_eq(r->nselection, ref->M + 1);
    for (size_t m = 0; m <= ref->M; m++) {
        EXPECT_NEAR(r->selection[m].rss, ref->rss[m], RTOL, 0.0);
        EXPECT_NEAR(r->selection[m].bic, ref->bic[m], RTOL, 0.0);
    }
    cr_assert_eq(r->nbreaks, ref->m);
    for (size_t j = 0; j < ref->m; j++) {
        cr_expect_eq(r->breaks[j].index, ref->bp[j], "break %zu", j);
        cr_expect(r->breaks[j].has_conf);
        cr_expect_eq(r->breaks[j].conf_low, ref->ci[j][0], "break %zu", j);
        cr_expect_eq(r->breaks[j].conf_high, ref->ci[j][1], "break %zu", j);
    }
    for (size_t j = 0; j <= ref->m; j++) {
        const tally_cp_segment *s = &r->segments[j];
        if (k == 1) {
            EXPECT_NEAR(s->mean, ref->coef[j][0], RTOL, 0.0);
        } else {
            EXPECT_NEAR(s->intercept, ref->coef[j][0], RTOL, 0.0);
            EXPECT_NEAR(s->slope, ref->coef[j][1], RTOL, 1e-15);
        }
    }
    EXPECT_NEAR(r->rss, ref->rss[ref->m], RTOL, 0.0);
    EXPECT_NEAR(r->bic, ref->bic[ref->m], RTOL, 0.0);
    cr_expect_eq(r->sup_f.index, ref->fs_break);
    EXPECT_NEAR(r->sup_f.statistic, ref->supf[0], RTOL, 0.0);
    EXPECT_NEAR(r->sup_f.p_value, ref->supf[1], PTOL_REL, PTOL_ABS);
    EXPECT_NEAR(r->ave_f.statistic, ref->avef[0], RTOL, 0.0);
    EXPECT_NEAR(r->ave_f.p_value, ref->avef[1], PTOL_REL, PTOL_ABS);
    EXPECT_NEAR(r->exp_f.statistic, ref->expf[0], RTOL, 0.0);
    EXPECT_NEAR(r->exp_f.p_value, ref->expf[1], PTOL_REL, PTOL_ABS);
    EXPECT_NEAR(r->cusum.statistic, ref->cusum[0], RTOL, 0.0);
    EXPECT_NEAR(r->cusum.p_value, ref->cusum[1], PTOL_REL, PTOL_ABS);
    /* boundary(efp(...))[1] = 1.35810028360043 (uniroot, tol 1.2e-4). */
    EXPECT_NEAR(r->cusum.boundary, 1.35810028360043, 0.0, 1.3e-4);
    if (ref->chow_point >= 0) {
        cr_expect(r->chow.done);
        cr_expect_eq(r->chow.df1, (double)k);
        cr_expect_eq(r->chow.df2, (double)(n - 2 * k));
        EXPECT_NEAR(r->chow.statistic, ref->chow[0], RTOL, 0.0);
        EXPECT_NEAR(r->chow.p_value, ref->chow[1], PTOL_REL, PTOL_ABS);
    }
    tally_cp_result_free(r);
}

/* show("nile", as.numeric(Nile), "mean", chow = 28) */
Test(changepoint, nile_mean_matches_strucchange)
{
    static const r_ref ref = {
        5,
        {2835156.7500000000, 1597457.1944444445, 1552923.6157754012,
         1538096.5127450982, 1507888.4759164536, 1659993.5004262575},
        {1318.2418068761806, 1270.0837357395660, 1276.4667007553514,
         1284.7176674489144, 1291.9444768872736, 1310.7651547659016},
        1, {28}, {{25, 32}}, {{1097.74999999999932}, {849.97222222222217}},
        28,
        {7.5929769427485425e+01, 2.2204460492503131e-16},
        {21.214666777991816, 0.0},
        {33.758974956386872, 0.0},
        {2.9517661026633726e+00, 5.4085534606507224e-08},
        28, {7.5929769427485425e+01, 7.4384942649885488e-14}};
    check_against(nile, 100, TALLY_CP_MEAN, &ref);
}

/* show("nile", as.numeric(Nile), "trend", chow = 28) */
Test(changepoint, nile_trend_matches_strucchange)
{
    static const r_ref ref = {
        5,
        {2221263.6479267925, 1580175.0764269736, 1483851.7115083898,
         1441761.2335184240, 1404578.8383654361, 1381505.7813780205},
        {1298.4448788688187, 1278.2063298310127, 1285.7323970017246,
         1296.6703305772648, 1307.8730464962180, 1320.0322122091568},
        1, {28}, {{26, 31}},
        {{1080.93650793650704145, 1.15955117679257924},
         {805.43739683152193720, 0.69046240915814372}},
        28,
        {3.8947901268728778e+01, 1.2464380072518821e-07},
        {1.6864875784521136e+01, 9.0060360222743441e-05},
        {1.5307737743123235e+01, 1.1720129948433744e-05},
        {1.500596199307113965, 0.022138611183393997},
        28, {1.9473950634364389e+01, 7.9624133508815476e-08}};
    check_against(nile, 100, TALLY_CP_TREND, &ref);
}

static void log_ukdd(double *y)
{
    for (size_t i = 0; i < 192; i++) {
        y[i] = log(ukdd[i]);
    }
}

/* show("ukdd-log", log(as.numeric(UKDriverDeaths)), "mean", chow = 169) */
Test(changepoint, uk_driver_deaths_log_mean_matches_strucchange)
{
    static const r_ref ref = {
        5,
        {5.6063388146158442, 4.3050517700554156, 3.8536794664642171,
         3.6829001548982028, 3.6311205213345992, 3.5441389613799528},
        {-123.06332929056957, -163.25721382321532, -174.00829013060419,
         -172.19625044658881, -164.39983439071008, -158.54008369361526},
        2, {72, 156}, {{60, 85}, {137, 167}},
        {{7.5123897487914659}, {7.3824885827662570}, {7.2486543593820310}},
        72,
        {5.7431257897114676e+01, 2.0145829449091930e-12},
        {34.12671011407609, 0.0},
        {24.44885737064137, 0.0},
        {3.2234371656759220e+00, 1.8876236129727886e-09},
        169, {6.2053666558048029e+01, 2.5091040356528538e-13}};
    double y[192];
    log_ukdd(y);
    check_against(y, 192, TALLY_CP_MEAN, &ref);
}

/* show("ukdd-log", log(as.numeric(UKDriverDeaths)), "trend") */
Test(changepoint, uk_driver_deaths_log_trend_matches_strucchange)
{
    static const r_ref ref = {
        5,
        {4.3696306440090735, 3.7422645125572509, 3.5092444524832676,
         3.4615888932394121, 3.4132190592813987, 3.3883341136618865},
        {-165.65595949762783, -179.64108718214732, -176.21231067848950,
         -163.06505155315074, -149.99436058024150, -135.62682734976380},
        1, {60}, {{59, 73}},
        {{7.3865897010230332498, 0.0043342814650568461},
         {7.5417056079901918508, -0.0014767994726337086}},
        60,
        {3.1516968487152802e+01, 5.0337805413043987e-06},
        {1.1449153117343545e+01, 6.2966988649491374e-04},
        {1.1472347471591368e+01, 6.5901492808120908e-05},
        {1.17631012340001706, 0.12561773593163006},
        -1, {0, 0}};
    double y[192];
    log_ukdd(y);
    check_against(y, 192, TALLY_CP_TREND, &ref);
}

/* show("sim", sim, "mean", chow = 40) */
Test(changepoint, simulated_two_breaks_match_strucchange)
{
    static const r_ref ref = {
        5,
        {1427.12768000000028, 1120.26859703612217, 877.04549932537634,
         851.80824639537650, 829.15144358469115, 879.59903254803680},
        {647.23151286837242, 627.75505632473983, 607.95825389250012,
         614.02954540744827, 620.36949474712651, 637.03207880499963},
        2, {41, 73}, {{39, 43}, {61, 75}},
        {{10.349268292682929}, {15.847500000000000}, {12.273191489361704}},
        41,
        {3.2322044807411487e+01, 5.3721120552019386e-07},
        {8.04836273545249092365, 0.00008229529490855203},
        {12.932477445878481, 0.0},
        {2.3990305876476952e+00, 2.0044648644135243e-05},
        40, {3.2304358365021002e+01, 9.6894014478543511e-08}};
    check_against(sim, 120, TALLY_CP_MEAN, &ref);
}

/* bp <- breakpoints(sim ~ 1, h = 0.15, breaks = 1): candidates 0..1; the
 * single break's interval is confint(bp, breaks = 1) = 28 .. 45. */
Test(changepoint, max_breaks_limits_the_candidates)
{
    tally_cp_options o;
    tally_cp_options_init(&o);
    o.max_breaks = 1;
    tally_cp_result *r = NULL;
    cr_assert_eq(tally_cp_fit(sim, 120, &o, &r), TALLY_OK);
    cr_expect_eq(r->nselection, 2);
    cr_assert_eq(r->nbreaks, 1);
    cr_expect_eq(r->breaks[0].index, 41);
    cr_expect_eq(r->breaks[0].conf_low, 28);
    cr_expect_eq(r->breaks[0].conf_high, 45);
    EXPECT_NEAR(r->segments[1].mean, 13.721012658227854, RTOL, 0.0);
    EXPECT_NEAR(r->rss, 1120.2685970361222, RTOL, 0.0);
    tally_cp_result_free(r);
}

/* strucchange:::pvalue.Fstats(x, type, k, lambda) on a grid of statistics,
 * k = 1, 2 and trimmings inside the table, between 0.49 and 0.5, at 0.5
 * (lambda = 1) and below 0.01. */
Test(changepoint, hansen_pvalues_match_strucchange)
{
    static const struct {
        const char *type;
        size_t k;
        double lambda, x, p;
    } cases[] = {
    {"sup", 1, 32.111111111111114, 3, 0.55396856954661633},
    {"sup", 1, 32.111111111111114, 8.5, 0.052538762976707343},
    {"sup", 1, 32.111111111111114, 15, 0.0024958100718446286},
    {"sup", 1, 25, 3, 0.53387016990519387},
    {"sup", 1, 25, 8.5, 0.049642849365028004},
    {"sup", 1, 25, 15, 0.0023705224361041393},
    {"sup", 1, 30, 3, 0.54867816171489625},
    {"sup", 1, 30, 8.5, 0.051776485167302169},
    {"sup", 1, 30, 15, 0.0024628311928709462},
    {"sup", 1, 1.5, 3, 0.19171245977238358},
    {"sup", 1, 1.5, 8.5, 0.011510808725626705},
    {"sup", 1, 1.5, 15, 0.00045905197366052241},
    {"sup", 1, 1.0407999999999999, 3, 0.10157315259295942},
    {"sup", 1, 1.0407999999999999, 8.5, 0.0046351559993434797},
    {"sup", 1, 1.0407999999999999, 15, 0.00014695227116300088},
    {"sup", 1, 1, 3, 0.083264516663550614},
    {"sup", 1, 1, 8.5, 0.0035514648077060729},
    {"sup", 1, 1, 15, 0.00010751117672946897},
    {"sup", 1, 0.29999999999999999, 3, 0.37633316442214354},
    {"sup", 1, 0.29999999999999999, 8.5, 0.029638286813789667},
    {"sup", 1, 0.29999999999999999, 15, 0.0013663071406682661},
    {"sup", 1, 0.0050000000000000001, 3, 0.83879937615526623},
    {"sup", 1, 0.0050000000000000001, 8.5, 0.1120669285300876},
    {"sup", 1, 0.0050000000000000001, 15, 0.0049378609233436954},
    {"sup", 2, 32.111111111111114, 3, 0.88830253860799346},
    {"sup", 2, 32.111111111111114, 8.5, 0.17007385120659313},
    {"sup", 2, 32.111111111111114, 15, 0.01135842215062588},
    {"sup", 2, 25, 3, 0.87101121223472033},
    {"sup", 2, 25, 8.5, 0.16147026134867037},
    {"sup", 2, 25, 15, 0.010717861389561175},
    {"sup", 2, 30, 3, 0.88375102355714052},
    {"sup", 2, 30, 8.5, 0.16780916844690447},
    {"sup", 2, 30, 15, 0.01118981033438729},
    {"sup", 2, 1.5, 3, 0.43755436004296733},
    {"sup", 2, 1.5, 8.5, 0.042920326041370568},
    {"sup", 2, 1.5, 15, 0.0022328730778245673},
    {"sup", 2, 1.0407999999999999, 3, 0.26321788581252809},
    {"sup", 2, 1.0407999999999999, 8.5, 0.018812630190410073},
    {"sup", 2, 1.0407999999999999, 15, 0.00078915910714177332},
    {"sup", 2, 1, 3, 0.22313016014842979},
    {"sup", 2, 1, 8.5, 0.014264233908999224},
    {"sup", 2, 1, 15, 0.00055308437014778278},
    {"sup", 2, 0.29999999999999999, 3, 0.71033130050151949},
    {"sup", 2, 0.29999999999999999, 8.5, 0.10251122285949661},
    {"sup", 2, 0.29999999999999999, 15, 0.0067214326462900504},
    {"sup", 2, 0.0050000000000000001, 3, 0.99840734939285525},
    {"sup", 2, 0.0050000000000000001, 8.5, 0.3379766014400285},
    {"sup", 2, 0.0050000000000000001, 15, 0.025342530656542572},
    {"ave", 1, 32.111111111111114, 3, 0.044542347534750171},
    {"ave", 1, 32.111111111111114, 8.5, 2.8456970163626139e-05},
    {"ave", 1, 32.111111111111114, 15, 0},
    {"ave", 1, 25, 3, 0.046138075465243247},
    {"ave", 1, 25, 8.5, 2.8675455694867253e-05},
    {"ave", 1, 25, 15, 0},
    {"ave", 1, 30, 3, 0.044962383542163226},
    {"ave", 1, 30, 8.5, 2.851448108918328e-05},
    {"ave", 1, 30, 15, 0},
    {"ave", 1, 1.5, 3, 0.076613580114349766},
    {"ave", 1, 1.5, 8.5, 0.0016405253790590403},
    {"ave", 1, 1.5, 15, 9.6206396054202527e-07},
    {"ave", 1, 1.0407999999999999, 3, 0.082592598344312235},
    {"ave", 1, 1.0407999999999999, 8.5, 0.0036671728150783648},
    {"ave", 1, 1.0407999999999999, 15, 0.00016701864074584292},
    {"ave", 1, 1, 3, 0.083264516663550614},
    {"ave", 1, 1, 8.5, 0.0035514648077060729},
    {"ave", 1, 1, 15, 0.00010751117672946897},
    {"ave", 1, 0.29999999999999999, 3, 0.059164688367421392},
    {"ave", 1, 0.29999999999999999, 8.5, 0.00025048094995494519},
    {"ave", 1, 0.29999999999999999, 15, 1.4064860387463747e-12},
    {"ave", 1, 0.0050000000000000001, 3, 0.02947322257132623},
    {"ave", 1, 0.0050000000000000001, 8.5, 1.0321559162917993e-08},
    {"ave", 1, 0.0050000000000000001, 15, 0},
    {"ave", 2, 32.111111111111114, 3, 0.17690065114290365},
    {"ave", 2, 32.111111111111114, 8.5, 0.0033304931397064585},
    {"ave", 2, 32.111111111111114, 15, 0.0001516661607079417},
    {"ave", 2, 25, 3, 0.17894170998039199},
    {"ave", 2, 25, 8.5, 0.0036663443390280524},
    {"ave", 2, 25, 15, 0.00017250982960992364},
    {"ave", 2, 30, 3, 0.1774379095242424},
    {"ave", 2, 30, 8.5, 0.003418897681704002},
    {"ave", 2, 30, 15, 0.00015715274228499213},
    {"ave", 2, 1.5, 3, 0.21770793219949608},
    {"ave", 2, 1.5, 8.5, 0.010898794452588963},
    {"ave", 2, 1.5, 15, 0.00026898232879213866},
    {"ave", 2, 1.0407999999999999, 3, 0.22362570340006177},
    {"ave", 2, 1.0407999999999999, 8.5, 0.013631554413213943},
    {"ave", 2, 1.0407999999999999, 15, 0.0004554017634460654},
    {"ave", 2, 1, 3, 0.22313016014842979},
    {"ave", 2, 1, 8.5, 0.014264233908999224},
    {"ave", 2, 1, 15, 0.00055308437014778278},
    {"ave", 2, 0.29999999999999999, 3, 0.19779006210278921},
    {"ave", 2, 0.29999999999999999, 8.5, 0.0055521423130500108},
    {"ave", 2, 0.29999999999999999, 15, 9.0610655737122169e-05},
    {"ave", 2, 0.0050000000000000001, 3, 0.15217976981930359},
    {"ave", 2, 0.0050000000000000001, 8.5, 0.0015125871670124136},
    {"ave", 2, 0.0050000000000000001, 15, 0.000157551157074165},
    {"exp", 1, 32.111111111111114, 3, 0.015220611023468167},
    {"exp", 1, 32.111111111111114, 8.5, 5.6944227111443979e-11},
    {"exp", 1, 32.111111111111114, 15, 0},
    {"exp", 1, 25, 3, 0.015219808341365531},
    {"exp", 1, 25, 8.5, 5.1961638695511666e-11},
    {"exp", 1, 25, 15, 0},
    {"exp", 1, 30, 3, 0.015220399737208666},
    {"exp", 1, 30, 8.5, 5.5632683642900408e-11},
    {"exp", 1, 30, 15, 0},
    {"exp", 1, 1.5, 3, 0.015105852928707759},
    {"exp", 1, 1.5, 8.5, 1.486053486622819e-06},
    {"exp", 1, 1.5, 15, 0},
    {"exp", 1, 1.0407999999999999, 3, 0.04903174203387179},
    {"exp", 1, 1.0407999999999999, 8.5, 0.0017762676613207161},
    {"exp", 1, 1.0407999999999999, 15, 5.377129041107208e-05},
    {"exp", 1, 1, 3, 0.083264516663550614},
    {"exp", 1, 1, 8.5, 0.0035514648077060729},
    {"exp", 1, 1, 15, 0.00010751117672946897},
    {"exp", 1, 0.29999999999999999, 3, 0.014920966112185685},
    {"exp", 1, 0.29999999999999999, 8.5, 3.3106906105473335e-11},
    {"exp", 1, 0.29999999999999999, 15, 0},
    {"exp", 1, 0.0050000000000000001, 3, 0.014752354570245041},
    {"exp", 1, 0.0050000000000000001, 8.5, 1.2212453270876722e-14},
    {"exp", 1, 0.0050000000000000001, 15, 0},
    {"exp", 2, 32.111111111111114, 3, 0.061767031446670839},
    {"exp", 2, 32.111111111111114, 8.5, 0.0004223299333039332},
    {"exp", 2, 32.111111111111114, 15, 1.2923678851861631e-05},
    {"exp", 2, 25, 3, 0.061161840990112903},
    {"exp", 2, 25, 8.5, 0.00031929977518663238},
    {"exp", 2, 25, 15, 4.3464786393758107e-06},
    {"exp", 2, 30, 3, 0.061607729990426643},
    {"exp", 2, 30, 8.5, 0.00039520978617123596},
    {"exp", 2, 30, 15, 1.0665942515240822e-05},
    {"exp", 2, 1.5, 3, 0.051852569871703051},
    {"exp", 2, 1.5, 8.5, 0.00015249012533781345},
    {"exp", 2, 1.5, 15, 8.3265252226849081e-08},
    {"exp", 2, 1.0407999999999999, 3, 0.13658549989670157},
    {"exp", 2, 1.0407999999999999, 8.5, 0.0072356889161040812},
    {"exp", 2, 1.0407999999999999, 15, 0.00027677007591655117},
    {"exp", 2, 1, 3, 0.22313016014842979},
    {"exp", 2, 1, 8.5, 0.014264233908999224},
    {"exp", 2, 1, 15, 0.00055308437014778278},
    {"exp", 2, 0.29999999999999999, 3, 0.057438418078007147},
    {"exp", 2, 0.29999999999999999, 8.5, 0.00024737925504153546},
    {"exp", 2, 0.29999999999999999, 15, 7.5144171240992819e-07},
    {"exp", 2, 0.0050000000000000001, 3, 0.067029407857093881},
    {"exp", 2, 0.0050000000000000001, 8.5, 0.00088685128948018388},
    {"exp", 2, 0.0050000000000000001, 15, 0.00077879676972536505},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double p = tally_cp_hansen_pvalue(cases[i].x, cases[i].type,
                                          cases[i].k, cases[i].lambda);
        cr_expect(close_to(p, cases[i].p, PTOL_REL, PTOL_ABS),
                  "%s k=%zu lambda=%g x=%g: %.17g, R %.17g",
                  cases[i].type, cases[i].k, cases[i].lambda, cases[i].x, p,
                  cases[i].p);
    }
    cr_expect(isnan(tally_cp_hansen_pvalue(3.0, "sup", 3, 2.0)));
    cr_expect(isnan(tally_cp_hansen_pvalue(3.0, "max", 1, 2.0)));
}

/* strucchange:::pargmaxV(x, xi, phi1, phi2): R evaluates the same closed
 * form with pnorm(log.p = TRUE); we use log erfc.  rtol 1e-12 allows the
 * different rounding of the two tails. */
Test(changepoint, argmax_law_matches_strucchange)
{
    static const double cases[][5] = {
    {-30, 1, 1, 1, 0.00090943971977584109},
    {-4.5, 1, 1, 1, 0.10505490489744984},
    {-0.29999999999999999, 1, 1, 1, 0.41217441068995908},
    {0, 1, 1, 1, 0.5},
    {0.29999999999999999, 1, 1, 1, 0.58782558931004081},
    {4.5, 1, 1, 1, 0.89494509510255016},
    {30, 1, 1, 1, 0.99909056028022414},
    {-30, 1.7, 0.80000000000000004, 1.3, 0.00065531823636275077},
    {-4.5, 1.7, 0.80000000000000004, 1.3, 0.068658739188520501},
    {-0.29999999999999999, 1.7, 0.80000000000000004, 1.3, 0.23629758146901714},
    {0, 1.7, 0.80000000000000004, 1.3, 0.27467811158798283},
    {0.29999999999999999, 1.7, 0.80000000000000004, 1.3, 0.40069274393962906},
    {4.5, 1.7, 0.80000000000000004, 1.3, 0.80441726671111735},
    {30, 1.7, 0.80000000000000004, 1.3, 0.99386854706302608},
    {-30, 0.6, 2, 0.9, 0.0010440959930822225},
    {-4.5, 0.6, 2, 0.9, 0.12926645097616557},
    {-0.3, 0.6, 2, 0.9, 0.60223472695489366},
    {0, 0.6, 2, 0.9, 0.83160083160083209},
    {0.3, 0.6, 2, 0.9, 0.88118863030160544},
    {4.5, 0.6, 2, 0.9, 0.9923992496187819},
    {30, 0.6, 2, 0.9, 0.99999991550450307},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double p = tally_cp_pargmaxv(cases[i][0], cases[i][1], cases[i][2],
                                     cases[i][3]);
        cr_expect(close_to(p, cases[i][4], 1e-12, 1e-15),
                  "x=%g xi=%g: %.17g, R %.17g", cases[i][0], cases[i][1],
                  p, cases[i][4]);
    }
}

/* strucchange:::pvalue.efp(x, "Brownian bridge", FALSE, "max", NULL, 1).
 * R forms 1 - (1 + 2 sum), exact only to one ulp of 1 (2.2e-16); we sum
 * the series directly. */
Test(changepoint, bridge_pvalue_matches_strucchange)
{
    static const double cases[][2] = {
    {0.050000000000000003, 1},
    {0.5, 0.96394524366487511},
    {0.90000000000000002, 0.39273070794065434},
    {1.224, 0.099925577506308705},
    {1.3580000000000001, 0.050026797334447037},
    {2, 0.00067092525577971962},
    {3.5, 4.5794701364343382e-11},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double p = tally_cp_bridge_pvalue(cases[i][0]);
        cr_expect(close_to(p, cases[i][1], 1e-12, 2.3e-16),
                  "x=%g: %.17g, R %.17g", cases[i][0], p, cases[i][1]);
    }
}

/* Leading and trailing missing values are dropped and counted; the
 * result's indices still refer to the input. */
Test(changepoint, missing_ends_are_trimmed)
{
    double y[104];
    y[0] = y[1] = y[102] = y[103] = NAN;
    memcpy(y + 2, nile, sizeof nile);
    tally_cp_result *r = NULL;
    cr_assert_eq(tally_cp_fit(y, 104, NULL, &r), TALLY_OK, "%s",
                 tally_last_error());
    cr_expect_eq(r->n, 100);
    cr_expect_eq(r->n_missing, 4);
    cr_expect_eq(r->offset, 2);
    cr_assert_eq(r->nbreaks, 1);
    cr_expect_eq(r->breaks[0].index, 30);
    cr_expect_eq(r->breaks[0].conf_low, 27);
    cr_expect_eq(r->segments[0].from, 2);
    cr_expect_eq(r->segments[1].to, 101);
    cr_expect_eq(r->sup_f.index, 30);
    EXPECT_NEAR(r->rss, 1597457.1944444445, RTOL, 0.0);
    tally_cp_result_free(r);
}

static void expect_fail(const double *y, size_t n, const tally_cp_options *o,
                        int status, const char *needle)
{
    tally_cp_result *r = NULL;
    int st = tally_cp_fit(y, n, o, &r);
    cr_expect_eq(st, status, "status %d, expected %d (%s)", st, status,
                 tally_last_error());
    cr_expect_null(r);
    cr_expect(strstr(tally_last_error(), needle) != NULL,
              "'%s' not in '%s'", needle, tally_last_error());
}

Test(changepoint, every_error_is_reported)
{
    tally_cp_options o;
    double y[20];
    for (size_t i = 0; i < 20; i++) {
        y[i] = (double)(i % 3);
    }
    /* n = 12: h = floor(0.15 x 12) = 1 cannot hold a mean and a break. */
    expect_fail(nile, 12, NULL, TALLY_ETOOFEW, "needs at least 14");
    tally_cp_options_init(&o);
    o.model = TALLY_CP_TREND;
    expect_fail(nile, 19, &o, TALLY_ETOOFEW, "needs at least 20");
    tally_cp_options_init(&o);
    o.min_size = 11;
    expect_fail(nile, 21, &o, TALLY_ETOOFEW, "needs at least 22");
    /* A constant series has nothing to date, not a spurious break. */
    double flat[30];
    for (size_t i = 0; i < 30; i++) {
        flat[i] = 4.0;
    }
    expect_fail(flat, 30, NULL, TALLY_ECONSTANT, "constant");
    tally_cp_options_init(&o);
    o.method = TALLY_CP_PELT;
    expect_fail(flat, 30, &o, TALLY_ECONSTANT, "constant");
    double line[30];
    for (size_t i = 0; i < 30; i++) {
        line[i] = 2.0 + 0.5 * (double)i;
    }
    tally_cp_options_init(&o);
    o.model = TALLY_CP_TREND;
    expect_fail(line, 30, &o, TALLY_ECONSTANT, "straight line");
    double gap[20];
    memcpy(gap, y, sizeof gap);
    gap[7] = NAN;
    expect_fail(gap, 20, NULL, TALLY_EMISSING, "value 8 of 20 is missing");
    tally_cp_options_init(&o);
    o.chow = 150;
    expect_fail(nile, 100, &o, TALLY_ERANGE, "outside");
    o.chow = 1;
    expect_fail(nile, 100, &o, TALLY_ETOOFEW, "Chow");
    tally_cp_options_init(&o);
    o.method = TALLY_CP_PELT;
    o.cost = TALLY_CP_COST_POISSON;
    double neg[20];
    memcpy(neg, y, sizeof neg);
    neg[3] = -1.0;
    expect_fail(neg, 20, &o, TALLY_EDOMAIN, "counts >= 0");
    o.min_size = 11;
    expect_fail(y, 20, &o, TALLY_ETOOFEW, "needs at least 22");
    tally_cp_options_init(&o);
    o.trim = 0.5;
    expect_fail(nile, 100, &o, TALLY_EINVAL, "trim");
    tally_cp_options_init(&o);
    o.method = TALLY_CP_PELT;
    o.model = TALLY_CP_TREND;
    expect_fail(nile, 100, &o, TALLY_EINVAL, "trend");
    tally_cp_options_init(&o);
    o.method = TALLY_CP_PELT;
    o.max_breaks = 2;
    expect_fail(nile, 100, &o, TALLY_EINVAL, "maximum");
    tally_cp_options_init(&o);
    o.method = TALLY_CP_BINSEG;
    o.penalty = TALLY_CP_PEN_MANUAL;
    o.penalty_value = -1.0;
    expect_fail(nile, 100, &o, TALLY_EINVAL, "penalty");
    tally_cp_options_init(&o);
    o.method = TALLY_CP_PELT;
    o.cost = TALLY_CP_COST_MEANVAR;
    o.min_size = 1;
    expect_fail(nile, 100, &o, TALLY_EINVAL, "at least 2");
    tally_cp_options_init(&o);
    o.method = TALLY_CP_PELT;
    o.sigma = -2.0;
    expect_fail(nile, 100, &o, TALLY_EINVAL, "sigma");
    /* Equal steps between neighbours (a straight line): the differences
     * have no spread, so there is no noise estimate for the normal cost. */
    tally_cp_options_init(&o);
    o.method = TALLY_CP_PELT;
    expect_fail(line, 30, &o, TALLY_ECONSTANT, "--sigma");
    tally_cp_result_free(NULL);
}

/* A series that is exactly two constant runs: the split fits perfectly,
 * so every F statistic is infinite with p-value 0 (never a NaN or a
 * spurious p = 1), and the break date has no interval (both regimes have
 * zero variance; strucchange's confint() fails the same way). */
Test(changepoint, exact_step_gives_infinite_f_and_zero_p)
{
    double y[40];
    for (size_t i = 0; i < 40; i++) {
        y[i] = i < 20 ? 0.0 : 5.0;
    }
    tally_cp_options o;
    tally_cp_options_init(&o);
    o.chow = 20;
    tally_cp_result *r = NULL;
    cr_assert_eq(tally_cp_fit(y, 40, &o, &r), TALLY_OK, "%s",
                 tally_last_error());
    cr_assert_eq(r->nbreaks, 1);
    cr_expect_eq(r->breaks[0].index, 20);
    cr_expect_not(r->breaks[0].has_conf);
    cr_expect(isinf(r->sup_f.statistic) && r->sup_f.p_value == 0.0);
    cr_expect(isinf(r->ave_f.statistic) && r->ave_f.p_value == 0.0);
    cr_expect(isinf(r->exp_f.statistic) && r->exp_f.p_value == 0.0);
    cr_expect(isinf(r->chow.statistic) && r->chow.p_value == 0.0);
    cr_expect_eq(r->sup_f.index, 20);
    cr_expect_eq(tally_cp_hansen_pvalue(INFINITY, "exp", 1, 32.0), 0.0);
    tally_cp_result_free(r);
}
