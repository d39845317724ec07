// The terminal's size, live: from the injected size when given (tests), else
// from Ink's stdout, updated on every resize event.
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export const MIN_SIZE: TerminalSize = { columns: 80, rows: 24 };

function measure(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

export function useTerminalSize(injected?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const [live, setLive] = useState<TerminalSize>(() => measure(stdout));
  // Whether a size is injected, not which one: a new injected size needs no new listener.
  const isInjected = injected !== undefined;
  useEffect(() => {
    if (isInjected) return;
    const onResize = () => setLive(measure(stdout));
    onResize();
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, isInjected]);
  return injected ?? live;
}

export function isTooSmall(size: TerminalSize, min: TerminalSize = MIN_SIZE): boolean {
  return size.columns < min.columns || size.rows < min.rows;
}
