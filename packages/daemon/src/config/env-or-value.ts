// A secret or setting written inline or named by an environment variable.
import { z } from 'zod';

export const envOrValueSchema = z.union([z.string(), z.strictObject({ env: z.string().min(1) })], {
  error: 'a string or { env = "VAR" }',
});
