/** One base for every docs link, so moving the docs is a one-line change. */
export const DOCS_BASE_URL = 'https://github.com/eksauth/eksauth/blob/main/docs';

export const checkDocsPath = (checkId: string): string => `docs/checks/${checkId}.md`;
export const checkDocsUrl = (checkId: string): string => `${DOCS_BASE_URL}/checks/${checkId}.md`;
export const glossaryUrl = (term: string): string => `${DOCS_BASE_URL}/glossary.md#${term}`;
