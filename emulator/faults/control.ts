// /_emulator/faults: list, add and remove faults over HTTP (spec/parts/control.ts).
import { registryHandlers } from '../control/registry.js';
import { FaultError, faultsOf } from './faults.js';

export const { list, add, clear, remove } = registryHandlers({ key: 'faults', noun: 'fault', of: faultsOf, invalid: FaultError });
