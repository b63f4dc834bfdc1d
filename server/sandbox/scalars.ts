// Custom scalars for the documented input forms: "true" or true, 10 or "10.00".
import {GraphQLError, GraphQLScalarType, Kind, type ValueNode} from 'graphql';

function toBoolean(value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new GraphQLError(
    `LenientBoolean cannot represent ${JSON.stringify(value)}: use true, false, "true" or "false"`,
  );
}

/** Booleans as the docs write them: true/false, and "true"/"false" (the product page example). */
export const LenientBoolean = new GraphQLScalarType({
  name: 'LenientBoolean',
  serialize: toBoolean,
  parseValue: toBoolean,
  parseLiteral(ast: ValueNode) {
    if (ast.kind === Kind.BOOLEAN || ast.kind === Kind.STRING) return toBoolean(ast.value);
    throw new GraphQLError('LenientBoolean must be a boolean or "true"/"false"', {nodes: ast});
  },
});

function toDecimal(value: unknown): number {
  const number = typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw new GraphQLError(
      `Decimal cannot represent ${JSON.stringify(value)}: use a number or a decimal string`,
    );
  }
  return number;
}

/** Money amounts as the docs write them: 10, 10.79 and "10.00". */
export const Decimal = new GraphQLScalarType({
  name: 'Decimal',
  serialize: toDecimal,
  parseValue: toDecimal,
  parseLiteral(ast: ValueNode) {
    if (ast.kind === Kind.INT || ast.kind === Kind.FLOAT || ast.kind === Kind.STRING)
      return toDecimal(ast.value);
    throw new GraphQLError('Decimal must be a number or a decimal string', {nodes: ast});
  },
});
