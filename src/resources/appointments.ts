import { pollingTrigger, type ResourceOperations } from '../operations/define.js';
import appointmentSample from '../samples/appointment.json' with { type: 'json' };
import { getContactAppointments, newestFirst } from './contacts/records.js';
import { contactIdField } from './common/inputFields.js';
import { appointmentOutputFields } from './common/outputs.js';

/**
 * Appointments of a contact: `GET /contacts/:contactId/appointments` → `{ events }` (docs/ghl-api.md
 * §2.13; Contacts API, Version 2021-07-28). It returns every appointment of the contact at once, so
 * none can be missed; we sort newest first by when the appointment was booked (`dateAdded`), or by
 * its start time when GHL leaves `dateAdded` out.
 */

export const newAppointment = pollingTrigger({
  key: 'new_appointment',
  endpoints: ['GET /contacts/{contactId}/appointments'],
  noun: 'Appointment',
  label: 'New Appointment',
  description: 'Triggers when an appointment is booked for the chosen contact.',
  inputFields: [contactIdField({ helpText: 'The contact whose appointments are watched.' })],
  outputFields: appointmentOutputFields,
  sample: appointmentSample,
  parse: (read) => ({ contactId: read.requiredId('contactId') }),
  perform: async ({ z, api, input, bundle }) =>
    newestFirst(
      await getContactAppointments({ z, api }, input.contactId, 'throw', bundle.authData?.locationTimezone),
      (a) => a.dateAdded ?? a.startTime,
    ),
});

export const appointmentsOperations: ResourceOperations = { triggers: [newAppointment], searches: [], creates: [] };
