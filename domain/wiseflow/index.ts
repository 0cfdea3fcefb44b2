/** The Praktikportalen → WISEflow lifecycle's pure rules (WF-1..WF-6). */
export * from './access-links';
export * from './assessor-plan';
export * from './describe';
export * from './input';
export * from './licence';
export * from './states';
