// What every list query takes and gives: a page of a sorted, searchable list.
export interface ListParams<F extends string> {
  page: number;
  pageSize: number;
  search?: string | undefined;
  sort: readonly { field: F; direction: 'asc' | 'desc' }[];
  archived: boolean;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** An ILIKE pattern matching `term` anywhere, with LIKE's wildcards taken literally. */
export const containing = (term: string) => `%${term.replace(/[\\%_]/g, '\\$&')}%`;
