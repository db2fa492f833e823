import { sgr } from './sanitise.js';

/**
 * ANSI styling that collapses to plain text when colour is off. It writes markers, not escape
 * sequences: they become SGR codes only when the text is written (sanitise.ts says why).
 */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `${sgr(open)}${text}${sgr(close)}`;
const plain = (text: string) => text;

export function makeStyle(color: boolean): Style {
  if (!color) return { bold: plain, dim: plain, red: plain, yellow: plain, green: plain, cyan: plain };
  return {
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
  };
}
