import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../config/load-config';
import { buildDataSourceOptions } from './data-source-options';

// Entry point for `npm run migration:*` (TypeORM CLI): the same options as the app, from the
// same environment variables.
export default new DataSource(buildDataSourceOptions(loadConfig().database));
