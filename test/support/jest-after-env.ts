import { noteEveryWorker } from './leftover-workers';

noteEveryWorker();
