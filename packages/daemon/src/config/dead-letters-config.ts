// `[dead_letters]` in flusso.toml: where documents rejected under
// `on_error = "skip"` are kept, and whether their content is kept too.
import { z } from 'zod';

export const deadLettersConfigSchema = z
  .strictObject({
    /** `postgres`: table `flusso.dead_letters` in the source database. */
    type: z.enum(['postgres', 'kafka']).default('postgres'),
    /** false: keep only the key (sink, index, id), not the document. */
    keep_documents: z.boolean().default(true),
  })
  .refine((c) => c.type !== 'kafka', {
    message:
      'type "kafka" is not supported yet; use type = "postgres" (the table flusso.dead_letters in the source database)',
    path: ['type'],
  })
  .default({ type: 'postgres', keep_documents: true });

export type DeadLettersConfig = z.infer<typeof deadLettersConfigSchema>;

/** What a full lane does with a live batch: wait (`block`, at least once) or drop it (best effort). */
export const onFullSchema = z.enum(['block', 'drop']).default('block');
