export * from './input';
export * from './status-email';
export * from './procapita-roster';
export * from './describe';
export * from './year-end';
export * from './summer-report';
