import App from '../index.js';
import { describeDefinitionChecks } from '../../test/definition-checks.js';

describeDefinitionChecks(App, 'Ecwid app');
