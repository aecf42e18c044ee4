import { ForbiddenException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { MappingStoreError } from '@isohub/persistence';
import { AdminExceptionFilter } from './admin-exception.filter';
import { ProblemException } from './problem';

describe('AdminExceptionFilter', () => {
  const filter = new AdminExceptionFilter();

  it('renders a ProblemException as itself', () => {
    const problem = filter.toProblem(ProblemException.forbidden('/agencyCode', 'not your agency'));
    expect(problem).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      detail: 'not your agency',
      errors: [{ field: '/agencyCode', code: 'forbidden', message: 'not your agency' }],
    });
  });

  it('maps store errors and Nest HTTP errors of any controller to the same shape', () => {
    expect(filter.toProblem(new MappingStoreError('CONFLICT', 'stale')).status).toBe(409);
    expect(filter.toProblem(new NotFoundException()).status).toBe(404);
    expect(filter.toProblem(new ForbiddenException()).errors).toEqual([]);
    expect(filter.toProblem(new PayloadTooLargeException('too big')).errors).toEqual([
      { field: '/', code: 'format', message: 'too big' },
    ]);
  });

  it('answers an unknown error with an errorId and never its text', () => {
    const problem = filter.toProblem(new Error('password=hunter2'));
    expect(problem.status).toBe(500);
    expect(problem.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(problem)).not.toContain('hunter2');
  });
});
