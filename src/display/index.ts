// Rich display for notebooks: heat-map tables, SVG charts, parameter summaries. No dependencies.
export { type MimeBundle, type HeatScale } from "./html.js";
export { tensorHtml, type TensorHtmlOptions, attachDisplay } from "./tensor.js";
export { Figure, linePlot, scatterPlot, barChart, PALETTE, logTickLabeller, type PlotOptions, type Series, type Point, type Bar } from "./plot.js";
export { Summary, summary, type SummaryEntry, type SummaryRow } from "./summary.js";
export { Html, sideBySide, heatMap, colorBar, type SideBySideOptions, type HeatMapOptions } from "./layout.js";
export { table } from "./table.js";
export { show } from "./show.js";
