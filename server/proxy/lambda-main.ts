// The Lambda handler configured by the environment: the entry of the Lambda edge bundle (dist/edge) and
// `handler` of `@bwp/proxy/lambda`. Built on the first invocation, so a configuration error names the
// missing variable in that invocation's error instead of failing the runtime's module load.
import type {LambdaContext, LambdaEvent} from 'hono/aws-lambda';
import {proxyOptionsFromEnv} from './config.ts';
import {createLambdaHandler} from './lambda.ts';
import {createProxy} from './proxy.ts';

let built: ReturnType<typeof createLambdaHandler> | undefined;

/**
 * @example
 * // handler.mjs, with BWP_* in the function's environment
 * export {handler} from '@bwp/proxy/lambda';
 */
export const handler = (event: LambdaEvent, context?: LambdaContext) => {
  built ??= createLambdaHandler(createProxy(proxyOptionsFromEnv(process.env)));
  return built(event, context);
};

export {createLambdaHandler, lambdaConnection} from './lambda.ts';
