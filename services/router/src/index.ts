// @smsgw/router: consumes accepted submits, applies the account's priority and routing rules,
// publishes to the connector's lane. `node src/main.ts` runs the service;
// these exports let tests and tools run its parts in-process.
export { loadRouterConfig, routerConfigSchema, routerRenamedVariables, type RouterConfig } from './config.ts';
export { PoisonSubmitError, RouterError } from './errors.ts';
export { decodeSubmit } from './decode-submit.ts';
export {
  DEFAULT_ROUTING_RULES,
  STATIC_ROUTE_SELECTION,
  chooseConnector,
  planRoute,
  type ConnectorChoice,
  type RoutePlan,
  type RouteSelection,
  type RoutingRules,
} from './route-plan.ts';
export { ConnectorHealth, type IsConnectorDown } from './connector-health.ts';
export { applyHealthEntry, watchConnectorHealth, type HealthWatch } from './health-watch.ts';
export { WarningLimiter } from './warning-limiter.ts';
export { createRouterMetrics, type RouterMetrics } from './metrics.ts';
export {
  handleSubmit,
  type AccountLookup,
  type SubmitHandlerDeps,
  type SubmitOutcome,
} from './handle-submit.ts';
export { startRouterWorker, type RouterWorker, type RouterWorkerOptions } from './router-worker.ts';
