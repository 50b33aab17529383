export { renderReport, describeOp } from './report';
export type { ReportInput, ReportTrial } from './report';
export { drawGraph, drawMetricChart, layerLabel } from './svg';
export type { ChartPoint } from './svg';
export { writeSearchReport } from './from-directory';
