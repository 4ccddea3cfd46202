export { parseThresholds, parseExpression, parseMetricKey, type ParsedThreshold, type ThresholdOp } from './parse.ts';
export { evaluateThresholds, evaluateThreshold, checkAborts, compare, type MetricQuery, type EvaluateOptions } from './evaluate.ts';
