-- latency_quantiles(latency): the median and the 90th percentile of a latency, as a struct
-- {median, p90}; an aggregate, used like quantile_cont: `latency_quantiles(latency_workdays).median`.
-- The one definition of takedown_median_workdays and takedown_p90_workdays (docs/kpis.md), for
-- kpi_headline, kpi_monthly and every dashboard query that shows them per platform, month or
-- filter, and of the notarization turnaround quantiles: interpolated (quantile_cont), nulls
-- (listings still live, notarizations pending) left out, null when no value is left. DuckDB
-- computes the two identical quantile_cont calls once: both quantiles come from one sort.
-- zh: latency_quantiles(latency)：用时的中位数和第 90 百分位数，
-- zh: 以结构体 {median, p90} 返回；是聚合函数，用法同 quantile_cont：
-- zh: `latency_quantiles(latency_workdays).median`。
-- zh: 它是 takedown_median_workdays 和 takedown_p90_workdays（docs/kpis.md）的唯一定义，
-- zh: 供 kpi_headline、kpi_monthly 以及看板上按平台、月份或筛选条件显示这两项指标的每个查询使用，
-- zh: 存证公证办理用时的分位数也用它：插值计算（quantile_cont），
-- zh: 空值（仍在线的链接、尚未办结的公证）不计入，没有剩余值时为空。
-- zh: DuckDB 对两个相同的 quantile_cont 调用只计算一次：两个分位数来自同一次排序。
-- materialized: scalar_macro
-- parameters: latency
{
    'median': quantile_cont(latency, [0.5, 0.9])[1],
    'p90': quantile_cont(latency, [0.5, 0.9])[2]
}
