// A small XML writer for AWS responses. Values are plain objects: keys become
// elements, arrays become list wrappers whose item element name the caller
// chooses (`item` for EC2, `member` for AutoScaling, named items for REST-XML),
// or repeated (flattened) elements when the chosen item name is null.

export type XmlValue = string | number | boolean | null | undefined | Date | XmlValue[] | { [key: string]: XmlValue };

/** Given a list's element name (and its items), the name of each item (null: flattened). */
export type ItemNamer = (listName: string, items: readonly XmlValue[]) => string | null;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

export function xmlElement(name: string, value: XmlValue, itemName: ItemNamer): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) {
    const item = itemName(name, value);
    if (item === null) return value.map((v) => xmlElement(name, v, itemName)).join('');
    return `<${name}>${value.map((v) => xmlElement(item, v, itemName)).join('')}</${name}>`;
  }
  if (value instanceof Date) return `<${name}>${value.toISOString()}</${name}>`;
  if (typeof value === 'object') {
    return `<${name}>${xmlChildren(value, itemName)}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function xmlChildren(value: { [key: string]: XmlValue }, itemName: ItemNamer): string {
  return Object.entries(value)
    .map(([key, child]) => xmlElement(key, child, itemName))
    .join('');
}

export function xmlDocument(root: string, value: { [key: string]: XmlValue }, itemName: ItemNamer, xmlns?: string): string {
  const ns = xmlns ? ` xmlns="${xmlns}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${xmlChildren(value, itemName)}</${root}>`;
}

/** The text of the first `<name>` element in a (trusted, small) XML request body. */
export function xmlText(body: string, name: string): string | undefined {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(body);
  return match ? unescapeXml(match[1]) : undefined;
}

/** The inner XML of every `<name>` element. */
export function xmlBlocks(body: string, name: string): string[] {
  const pattern = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  return [...body.matchAll(pattern)].map((m) => m[1]);
}

export function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/&amp;/g, '&');
}
