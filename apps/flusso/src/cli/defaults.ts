// flusso's documented defaults, named once: the replication slot and publication,
// and the private surface's admin credentials (refused beyond loopback by `run`).

export const DEFAULT_SLOT = 'flusso';
export const DEFAULT_PUBLICATION = 'flusso';
export const DEFAULT_ADMIN_USER = 'admin';
export const DEFAULT_ADMIN_PASSWORD = 'flusso';
