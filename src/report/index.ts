import type { OutputFormat } from '../cli/output-options.js';
import type { Report } from '../core/report.js';
import { renderHuman } from './human.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';

/** Reporters only format: a Report in, a string out. */
export function renderReport(
  report: Report,
  format: OutputFormat,
  options: { color: boolean; source?: string },
): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'markdown':
      return renderMarkdown(report);
    case 'human':
      return renderHuman(report, options);
  }
}
