export * from './users';
export * from './documents';
export * from './content';
export * from './audit';
export * from './versions';
export * from './comments';
export * from './mail';
export * from './rounds';
