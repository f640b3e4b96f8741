// Dashboard charts (Apache ECharts, served by the portal). The figures come from the page's
// <script type="application/json" id="dashboard-data">, the same numbers the tables show.
(function () {
  const source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) return;
  const data = JSON.parse(source.textContent);
  const colours = { met: "#198754", on_track: "#0d6efd", at_risk: "#b35c00", short: "#dc3545" };
  const charts = [];

  const funnel = document.getElementById("funnel-chart");
  if (funnel) {
    const chart = echarts.init(funnel);
    chart.setOption({
      tooltip: { trigger: "item", formatter: "{b}：{c}" },
      series: [{
        type: "funnel", sort: "none", left: "5%", width: "90%", minSize: "8%",
        label: { position: "inside", formatter: "{b} {c}" },
        data: data.funnel,
      }],
    });
    charts.push(chart);
  }

  const quota = document.getElementById("quota-chart");
  if (quota) {
    const chart = echarts.init(quota);
    if (data.units) {
      // Province or country: how many counties of each unit are in each standing.
      chart.setOption({
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
        xAxis: { type: "category", data: data.units.map((u) => u.name), axisLabel: { rotate: 45 } },
        yAxis: { type: "value", name: "县区数", minInterval: 1 },
        series: Object.keys(colours).map((key) => ({
          name: data.states[key], type: "bar", stack: "counties",
          itemStyle: { color: colours[key] }, data: data.units.map((u) => u[key]),
        })),
      });
    } else {
      // A city or a county: each county's reported students against its quota.
      const counties = data.counties || [];
      chart.setOption({
        tooltip: { trigger: "axis" },
        grid: { left: 8, right: 8, bottom: 8, top: 24, containLabel: true },
        xAxis: { type: "category", data: counties.map((c) => c.name), axisLabel: { rotate: 45 } },
        yAxis: { type: "value", name: "完成率 %" },
        series: [{
          type: "bar",
          data: counties.map((c) => ({
            value: c.quota ? Math.round((100 * c.reported) / c.quota) : 0,
            itemStyle: { color: colours[c.state] || "#6c757d" },
          })),
          markLine: { symbol: "none", data: [{ yAxis: 100 }], label: { formatter: "100%" } },
        }],
      });
    }
    charts.push(chart);
  }
  window.addEventListener("resize", () => charts.forEach((chart) => chart.resize()));
})();
