export * from './completion';
export * from './input';
export * from './attempts';
