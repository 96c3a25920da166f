import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { checkedExportProps } from './checked-export-props.js';

/**
 * Which durable functions a `DurableExport` exports, and what follows from that for IAM, the
 * status-change rule and the handlers' environment: the functions named (`functions`), or every
 * durable function of the stack's account and Region that discovery finds (`allFunctions`, narrowed
 * by `functionPrefix` and `functionTags` as `export --all-functions` is: src/source/discover-functions.ts).
 */

export interface FunctionSelectionProps {
  /** Durable functions to export: names (in this stack's account and Region) or ARNs. */
  readonly functions?: readonly string[];
  /** Export every function with durable execution enabled in this stack's account and Region. */
  readonly allFunctions?: boolean;
  /** With `allFunctions`: only functions whose name starts with this. */
  readonly functionPrefix?: string;
  /** With `allFunctions`: only functions with every one of these tags, each `KEY=VALUE`. */
  readonly functionTags?: readonly string[];
}

export interface FunctionScope {
  /** The selection as `export.*` config keys, for the handlers' environment. */
  readonly selection: FunctionSelectionProps;
  /**
   * The function ARNs the durable read APIs (and ListTags) may act on: each named function
   * unqualified and with `:*` (its versions and executions), or with discovery `function:PREFIX*`
   * (`function:*` without a prefix), which covers both forms; in each Region this account reads
   * (none when every target assumes a role).
   */
  readonly resources: string[];
  /** With `functions`: their unqualified ARNs (the status-change rule matches them). */
  readonly functionArns?: string[];
  /** With `allFunctions`: the start every discovered function's unqualified ARN has. */
  readonly functionArnPrefix?: string;
}

// Names and ARNs as export.functions accepts them (the config schema checks them first).
const FUNCTION =
  /^(?:arn:(aws[a-zA-Z-]*):lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([A-Za-z0-9_-]{1,64})/;

/**
 * The functions of `props`, checked: exactly one of `functions` and `allFunctions`, values as the
 * config schema takes them. `readRegions`: the Regions of this account whose functions the role
 * reads (`ownReadRegions` of the targets); undefined for the stack's Region.
 */
export function functionScopeOf(
  scope: Construct,
  props: FunctionSelectionProps,
  readRegions?: readonly string[],
): FunctionScope {
  const named = (props.functions?.length ?? 0) > 0;
  if (named === (props.allFunctions === true)) {
    throw new Error(
      'DurableExport needs exactly one of functions and allFunctions: name the functions, or set allFunctions: true to export every durable function of the account and Region',
    );
  }
  if (!props.allFunctions && (props.functionPrefix !== undefined || props.functionTags?.length)) {
    throw new Error(
      'DurableExport functionPrefix and functionTags narrow allFunctions: set allFunctions: true',
    );
  }
  checkedExportProps(
    { functions: props.functions, functionPrefix: props.functionPrefix, functionTags: props.functionTags },
    ['functions', 'functionPrefix', 'functionTags'],
  );
  // Undefined: the stack's Region (a token when the stack has no explicit environment).
  const regions = readRegions ?? [undefined];
  if (props.allFunctions) {
    const prefix = props.functionPrefix ?? '';
    return {
      selection: {
        allFunctions: true,
        functionPrefix: props.functionPrefix,
        functionTags: props.functionTags,
      },
      resources: regions.map((region) => `${functionArnOf(scope, prefix, { region })}*`),
      functionArnPrefix: functionArnOf(scope, prefix),
    };
  }
  const functions = props.functions ?? [];
  // A name is read in each Region; an ARN names its own (once).
  const readArns = new Set(regions.flatMap((region) => functionArnsOf(scope, functions, region)));
  return {
    selection: { functions: props.functions },
    resources: [...readArns].flatMap((arn) => [arn, `${arn}:*`]),
    functionArns: functionArnsOf(scope, functions),
  };
}

/**
 * The unqualified ARN of each function: a name is in the stack's account and `inRegion` (default
 * the stack's), an ARN keeps its own; a qualifier (`:prod`, `:$LATEST`) is dropped because the
 * `:*` form covers it.
 */
function functionArnsOf(scope: Construct, functions: readonly string[], inRegion?: string): string[] {
  return functions.map((fn) => {
    const [, partition, region, arnAccount, partialAccount, name] = FUNCTION.exec(fn) ?? [];
    if (name === undefined) throw new Error(`unexpected function ${JSON.stringify(fn)}`);
    return functionArnOf(scope, name, {
      partition,
      region: region ?? inRegion,
      account: arnAccount ?? partialAccount,
    });
  });
}

/** `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME`, in the stack's account and Region unless given. */
function functionArnOf(
  scope: Construct,
  name: string,
  where: { partition?: string; region?: string; account?: string } = {},
): string {
  return Stack.of(scope).formatArn({
    ...where,
    service: 'lambda',
    resource: 'function',
    resourceName: name,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
