// The space a screen has between the header and the footer.
import { createContext, useContext } from 'react';
import type { TerminalSize } from './useTerminalSize.js';

export const BodySizeContext = createContext<TerminalSize>({ columns: 80, rows: 20 });

export function useBodySize(): TerminalSize {
  return useContext(BodySizeContext);
}
