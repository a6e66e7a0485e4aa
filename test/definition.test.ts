import App from '../index.js';
import { describeDefinitionChecks } from './definition-checks.js';

describeDefinitionChecks(App, 'GHL app');
