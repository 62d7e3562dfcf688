/**
 * Reading what a client uploaded, for the local fakes: a JSON body, or a multipart/form-data body parsed by
 * Node's own fetch implementation (undici's FormData parser) into its fields and files.
 */

/** One file of a multipart upload: its form field (`files[0]`, `photo`), file name, type and bytes. */
export type UploadedFile = { field: string; name: string; contentType: string; data: Buffer };

export type ReadBody = {
  /** The JSON body, or a multipart upload's fields (`payload_json` is returned as the body itself). */
  body: unknown;
  files: UploadedFile[];
};

/**
 * Parse `raw` by its content type. Multipart fields holding JSON objects or arrays (how telegraf and
 * @discordjs/rest send them) are parsed; other fields stay strings.
 */
export async function readBody(raw: Buffer, contentType: string | undefined): Promise<ReadBody> {
  const type = contentType ?? '';
  if (raw.length === 0) return { body: undefined, files: [] };
  if (type.includes('json')) return { body: JSON.parse(raw.toString('utf8')) as unknown, files: [] };
  if (!type.startsWith('multipart/form-data')) return { body: raw.toString('utf8'), files: [] };
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': type } }).formData();
  const fields: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') {
      fields[field] = /^[[{]/.test(value) ? (JSON.parse(value) as unknown) : value;
    } else {
      files.push({ field, name: value.name, contentType: value.type, data: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return { body: 'payload_json' in fields ? fields.payload_json : fields, files };
}
