// Minimal types for the parts of parquetjs-lite 0.8 (untyped CommonJS) the benchmark uses.
declare module 'parquetjs-lite' {
  export interface FieldDefinition {
    type: 'UTF8' | 'TIMESTAMP_MILLIS' | 'INT64' | 'INT32' | 'BOOLEAN';
    optional?: boolean;
    compression?: 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP';
  }
  export class ParquetSchema {
    constructor(fields: Record<string, FieldDefinition>);
  }
  export class ParquetWriter {
    static openFile(
      schema: ParquetSchema,
      path: string,
      options?: { rowGroupSize?: number; useDataPageV2?: boolean },
    ): Promise<ParquetWriter>;
    appendRow(row: Record<string, unknown>): Promise<void>;
    setMetadata(key: string, value: string): void;
    close(): Promise<void>;
  }
  const parquet: { ParquetSchema: typeof ParquetSchema; ParquetWriter: typeof ParquetWriter };
  export default parquet;
}
