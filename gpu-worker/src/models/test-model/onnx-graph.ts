/**
 * A small builder for ONNX graphs on top of `onnx-proto` (the ONNX protobuf schema), enough to
 * write the test language models: nodes, initializers, typed graph inputs/outputs, subgraphs.
 * Names are generated (`n0`, `n1`, …) unless given, so graph code reads like straight-line math.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
type Attr = number | number[] | string | Float32Array | InstanceType<typeof onnx.GraphProto> | { floats: number[] };

/** ONNX element types used by the test models. */
export const DT = { float: 1, int32: 6, int64: 7, bool: 9, float16: 10 } as const;
export type ElemType = (typeof DT)[keyof typeof DT];

/** A dimension: a fixed size or a symbolic name ("batch_size"). */
export type Dim = number | string;

export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly inits: InstanceType<typeof onnx.TensorProto>[] = [];
  private readonly inputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private readonly outputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];
  private next = 0;

  constructor(private readonly prefix = 'n') {}

  fresh(hint = ''): string {
    return `${this.prefix}${this.next++}${hint ? `_${hint}` : ''}`;
  }

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElemType, dims: Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** Adds a node; returns its output names (one fresh name per `outputs` count unless names are given). */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, outputs: number | string[] = 1, domain = ''): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.fresh(opType)) : outputs;
    this.nodes.push(
      onnx.NodeProto.create({
        opType,
        domain,
        name: this.fresh(`${opType}_node`),
        input: inputs,
        output: outs,
        attribute: Object.entries(attrs).map(([name, value]) => attribute(name, value)),
      }),
    );
    return outs;
  }

  /** Single-output node. */
  op1(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, name?: string, domain = ''): string {
    return this.op(opType, inputs, attrs, name ? [name] : 1, domain)[0]!;
  }

  initFloat(name: string, dims: number[], data: Float32Array): string {
    this.inits.push(onnx.TensorProto.create({ name, dims, dataType: DT.float, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) }));
    return name;
  }

  /** An int64 constant initializer (shape `dims`, default 1-D). */
  constI64(values: number[], dims: number[] = [values.length]): string {
    const name = this.fresh('i64');
    const data = BigInt64Array.from(values.map(BigInt));
    this.inits.push(onnx.TensorProto.create({ name, dims, dataType: DT.int64, rawData: new Uint8Array(data.buffer) }));
    return name;
  }

  /** A float32 constant initializer (scalar when dims is []). */
  constF32(values: number[], dims: number[] = [values.length]): string {
    return this.initFloat(this.fresh('f32'), dims, Float32Array.from(values));
  }

  graph(name: string): InstanceType<typeof onnx.GraphProto> {
    return onnx.GraphProto.create({ name, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs });
  }
}

function valueInfo(name: string, elemType: ElemType, dims: Dim[]): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType,
        shape: onnx.TensorShapeProto.create({ dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) }),
      }),
    }),
  });
}

function attribute(name: string, value: Attr): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? onnx.AttributeProto.create({ name, type: T.INT, i: value }) : onnx.AttributeProto.create({ name, type: T.FLOAT, f: value });
  }
  if (typeof value === 'string') return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(value) });
  if (Array.isArray(value)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: value });
  if (value instanceof Float32Array) {
    return onnx.AttributeProto.create({ name, type: T.TENSOR, t: onnx.TensorProto.create({ dims: [value.length], dataType: DT.float, rawData: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) }) });
  }
  if ('floats' in value) return onnx.AttributeProto.create({ name, type: T.FLOATS, floats: value.floats });
  return onnx.AttributeProto.create({ name, type: T.GRAPH, g: value });
}

/** Serializes a model with the given graph, default-domain opset and optional com.microsoft opset. */
export function encodeModel(graph: InstanceType<typeof onnx.GraphProto>, opset: number, msDomain: boolean): Uint8Array {
  const opsetImport = [onnx.OperatorSetIdProto.create({ domain: '', version: opset })];
  if (msDomain) opsetImport.push(onnx.OperatorSetIdProto.create({ domain: 'com.microsoft', version: 1 }));
  const model = onnx.ModelProto.create({ irVersion: 8, producerName: 'parley-test-model', producerVersion: '1', opsetImport, graph });
  return onnx.ModelProto.encode(model).finish();
}
