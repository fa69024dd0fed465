import { Injectable } from '@nestjs/common';
import { ErrorResponse } from './error-response';

export interface RenderedError {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

// One error shape per surface: the project's own by default, and the shape a client library
// already understands on a surface that speaks another API (OpenAI's under /v1, Kling's on
// Kling's paths). Surfaces register theirs at start-up; the one exception filter asks here.
@Injectable()
export class ErrorShapes {
  private readonly shapes: Array<{
    specificity: number;
    matches: (path: string) => boolean;
    render: (e: ErrorResponse) => RenderedError;
  }> = [];

  // The most specific matching surface wins (Kling's paths under /v1 over OpenAI's /v1).
  register(specificity: number, matches: (path: string) => boolean, render: (e: ErrorResponse) => RenderedError): void {
    this.shapes.push({ specificity, matches, render });
    this.shapes.sort((a, b) => b.specificity - a.specificity);
  }

  render(path: string, e: ErrorResponse): RenderedError {
    const shape = this.shapes.find((s) => s.matches(path));
    return shape ? shape.render(e) : { status: e.status, body: e.body };
  }
}
