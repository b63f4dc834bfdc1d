// The seed documents' GraphQL examples, kept as .graphql files in fixtures/seed-examples/ (each says where it
// comes from and what was fixed), with {{placeholders}} for what the sandbox issues or requires.
import {readFileSync} from 'node:fs';

const FOLDER = new URL('./fixtures/seed-examples/', import.meta.url);

/** The example `name`.graphql with every {{placeholder}} filled; a placeholder without a value throws. */
export function seedExample(name: string, values: Record<string, string> = {}): string {
  const text = readFileSync(new URL(`${name}.graphql`, FOLDER), 'utf8');
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`seed example ${name}: no value for {{${key}}}`);
    return value;
  });
}
