import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small Glue Data Catalog on 127.0.0.1 speaking the real awsJson1_1 protocol, for tests through
 * the real `GlueClient`: `POST /` with `X-Amz-Target: AWSGlue.<Operation>` and a JSON body; errors
 * as HTTP 400 with `x-amzn-ErrorType` and `{ "__type", "Message" }`. It implements GetDatabase,
 * CreateDatabase, GetTable, CreateTable and UpdateTable, keeps tables in memory and counts calls.
 * Like Glue, it rejects a TableInput carrying read-only Table fields (CreateTime, DatabaseName, ...);
 * views (`VIRTUAL_VIEW`) are stored like tables and must carry a Presto view text.
 */

type Json = Record<string, unknown>;

const TABLE_INPUT_FIELDS = new Set([
  'Name',
  'Description',
  'Owner',
  'LastAccessTime',
  'LastAnalyzedTime',
  'Retention',
  'StorageDescriptor',
  'PartitionKeys',
  'ViewOriginalText',
  'ViewExpandedText',
  'TableType',
  'Parameters',
  'TargetTable',
  'ViewDefinition',
]);

export interface GlueStub {
  readonly url: string;
  /** Every call's target (`CreateTable`, ...), in order. */
  readonly calls: string[];
  /** Request bodies by target, in order. */
  readonly requests: Map<string, Json[]>;
  /** Tables by `database.table`: the stored TableInput plus the server's fields. */
  readonly tables: Map<string, Json>;
  readonly databases: Set<string>;
  count(target: string): number;
  /** Runs once before the next call of a target (e.g. to simulate a concurrent writer). */
  readonly before: Map<string, (body: Json) => void>;
  /** Stores a table directly (a table made by hand or by something else). */
  putTable(database: string, input: Json): void;
  close(): Promise<void>;
}

class GlueFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export async function startGlueStub(): Promise<GlueStub> {
  const calls: string[] = [];
  const requests = new Map<string, Json[]>();
  const tables = new Map<string, Json>();
  const databases = new Set<string>();
  const before = new Map<string, (body: Json) => void>();
  let version = 0;

  const store = (database: string, input: Json, created?: unknown): void => {
    const now = Date.now() / 1000;
    tables.set(`${database}.${String(input.Name)}`, {
      ...input,
      DatabaseName: database,
      CreateTime: created ?? now,
      UpdateTime: now,
      VersionId: String(++version),
      CatalogId: '123456789012',
    });
  };
  const needDatabase = (name: unknown): string => {
    if (typeof name !== 'string' || !databases.has(name)) {
      throw new GlueFault('EntityNotFoundException', `Database ${String(name)} not found.`);
    }
    return name;
  };
  const checkInput = (input: unknown): Json => {
    if (typeof input !== 'object' || input === null)
      throw new GlueFault('InvalidInputException', 'no TableInput');
    const unknown = Object.keys(input).find((k) => !TABLE_INPUT_FIELDS.has(k));
    if (unknown) throw new GlueFault('InvalidInputException', `TableInput has unknown field ${unknown}`);
    const view = input as Json;
    // A view (TableType VIRTUAL_VIEW) is nothing without its text; Athena reads Presto views.
    if (
      view.TableType === 'VIRTUAL_VIEW' &&
      !String(view.ViewOriginalText ?? '').startsWith('/* Presto View: ')
    ) {
      throw new GlueFault(
        'InvalidInputException',
        'a VIRTUAL_VIEW needs ViewOriginalText /* Presto View: ... */',
      );
    }
    return view;
  };

  const operations: Record<string, (body: Json) => Json> = {
    GetDatabase(body) {
      const name = needDatabase(body.Name);
      return { Database: { Name: name, CreateTime: 1767225600, CatalogId: '123456789012' } };
    },
    CreateDatabase(body) {
      const name = String((body.DatabaseInput as Json | undefined)?.Name);
      if (databases.has(name))
        throw new GlueFault('AlreadyExistsException', `Database ${name} already exists.`);
      databases.add(name);
      return {};
    },
    GetTable(body) {
      const database = needDatabase(body.DatabaseName);
      const table = tables.get(`${database}.${String(body.Name)}`);
      if (!table) throw new GlueFault('EntityNotFoundException', `Table ${String(body.Name)} not found.`);
      return { Table: table };
    },
    CreateTable(body) {
      const database = needDatabase(body.DatabaseName);
      const input = checkInput(body.TableInput);
      if (tables.has(`${database}.${String(input.Name)}`)) {
        throw new GlueFault('AlreadyExistsException', `Table already exists: ${String(input.Name)}`);
      }
      store(database, input);
      return {};
    },
    UpdateTable(body) {
      const database = needDatabase(body.DatabaseName);
      const input = checkInput(body.TableInput);
      const existing = tables.get(`${database}.${String(input.Name)}`);
      if (!existing) throw new GlueFault('EntityNotFoundException', `Table ${String(input.Name)} not found.`);
      store(database, input, existing.CreateTime);
      return {};
    },
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSGlue.') ? target.slice('AWSGlue.'.length) : '';
    calls.push(operation || target);
    try {
      if (req.method !== 'POST' || req.url !== '/')
        throw new GlueFault('UnknownOperationException', 'POST / only');
      if (!String(req.headers['content-type']).startsWith('application/x-amz-json-1.1')) {
        throw new GlueFault('SerializationException', `content-type ${req.headers['content-type']}`);
      }
      const run = operations[operation];
      if (!run) throw new GlueFault('UnknownOperationException', `unknown target ${target}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Json;
      requests.set(operation, [...(requests.get(operation) ?? []), body]);
      const hook = before.get(operation);
      before.delete(operation);
      hook?.(body);
      send(res, 200, run(body));
    } catch (error) {
      const fault =
        error instanceof GlueFault ? error : new GlueFault('InternalServiceException', String(error));
      send(
        res,
        fault.type === 'InternalServiceException' ? 500 : 400,
        { __type: fault.type, Message: fault.message },
        fault.type,
      );
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    requests,
    tables,
    databases,
    before,
    count: (target) => calls.filter((c) => c === target).length,
    putTable(database, input) {
      databases.add(database);
      store(database, input);
    },
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

function send(res: ServerResponse, status: number, body: Json, errorType?: string): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': `stub-${Date.now()}`,
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(text);
}
