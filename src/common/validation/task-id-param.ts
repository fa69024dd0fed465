import { Param, PipeTransform } from '@nestjs/common';
import { DomainError } from '../errors/domain-error';

// Task ids are at most 200 visible ASCII characters (videos.task_id is VARCHAR(200); Reelay's own
// are `<prefix>_<random>`, imported ones keep their old form). Anything else is a 400 naming the
// parameter, before a query runs.
const TASK_ID = /^[\x21-\x7e]{1,200}$/;

export const isTaskId = (value: unknown): value is string => typeof value === 'string' && TASK_ID.test(value);

class TaskIdPipe implements PipeTransform<unknown, string> {
  constructor(private readonly name: string) {}

  transform(value: unknown): string {
    if (!isTaskId(value)) throw DomainError.validation(this.name, 'must be a task id (1-200 visible ASCII characters)');
    return value;
  }
}

export const TaskIdParam = (name = 'task_id') => Param(name, new TaskIdPipe(name));
