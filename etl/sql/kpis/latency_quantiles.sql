-- latency_quantiles(latency): the median and the 90th percentile of a latency, as a struct
-- {median, p90}; an aggregate, used like quantile_cont: `latency_quantiles(latency_workdays).median`.
-- The one definition of takedown_median_workdays and takedown_p90_workdays (docs/kpis.md), for
-- kpi_headline, kpi_monthly and every dashboard query that shows them per platform, month or
-- filter, and of the notarization turnaround quantiles: interpolated (quantile_cont), nulls
-- (listings still live, notarizations pending) left out, null when no value is left. DuckDB
-- computes the two identical quantile_cont calls once: both quantiles come from one sort.
-- materialized: scalar_macro
-- parameters: latency
{
    'median': quantile_cont(latency, [0.5, 0.9])[1],
    'p90': quantile_cont(latency, [0.5, 0.9])[2]
}
