/** One error type for everything that can be wrong with a model folder, with a stable code. */
export const MODEL_ERROR_CODES = [
  'missing_folder',
  'missing_file',
  'bad_json',
  'no_model_file',
  'ambiguous_model_file',
  'bad_io',
  'unsupported_dtype',
  'no_chat_template',
  'bad_tokenizer',
  'session_failed',
] as const;
export type ModelErrorCode = (typeof MODEL_ERROR_CODES)[number];

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
  ) {
    super(message);
  }
}
