import { addJobsCommands } from './jobs.js';
import { addSimulateCommand } from './simulate.js';
import { addCommandsCommands } from './commands.js';
import { addEventsCommands } from './events.js';
/** The operator commands (jobs list|show|watch, simulate), kept out of main.ts. */
export function addOperatorCommands(program) {
    addJobsCommands(program);
    addSimulateCommand(program);
    addCommandsCommands(program);
    addEventsCommands(program);
}
//# sourceMappingURL=operator.js.map