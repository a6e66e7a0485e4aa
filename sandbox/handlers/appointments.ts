/**
 * Appointments: a contact's (contacts.json) and one by id (calendars.json `get-appointment`).
 */
import { DateTime } from 'luxon';
import type { Appointment } from '../state/records.js';
import { badRequest } from '../http/errors.js';
import { getContact } from './contact-records.js';
import type { Handler, HandlerCtx, HandlerResult, Obj } from './context.js';

/** Contact appointments use the spec example format `yyyy-MM-dd HH:mm:ss` in the location's timezone. */
function contactEventOut(ctx: HandlerCtx, a: Appointment): Obj {
  const tz = ctx.state.locations.get(a.locationId)?.timezone ?? 'UTC';
  const fmt = (iso: string) => DateTime.fromISO(iso, { setZone: true }).setZone(tz).toFormat('yyyy-MM-dd HH:mm:ss');
  return {
    id: a.id,
    calendarId: a.calendarId,
    status: a.status,
    title: a.title,
    assignedUserId: a.assignedUserId,
    notes: a.notes,
    startTime: fmt(a.startTime),
    endTime: fmt(a.endTime),
    address: a.address,
    locationId: a.locationId,
    contactId: a.contactId,
    groupId: a.groupId,
    appointmentStatus: a.appointmentStatus,
    users: [...a.users],
    dateAdded: fmt(a.dateAdded),
    dateUpdated: fmt(a.dateUpdated),
    assignedResources: [...a.assignedResources],
  };
}

function contactAppointments(ctx: HandlerCtx): HandlerResult {
  const c = getContact(ctx, ctx.params['contactId'] ?? '');
  const events = [...ctx.state.appointments.values()]
    .filter((a) => a.contactId === c.id)
    .sort((a, b) => (a.startTime < b.startTime ? -1 : 1));
  return { status: 200, body: { events: events.map((a) => contactEventOut(ctx, a)) } };
}

function getAppointment(ctx: HandlerCtx): HandlerResult {
  const id = ctx.params['eventId'] ?? '';
  const a = ctx.state.appointments.get(id);
  if (!a || a.locationId !== ctx.locationId) throw badRequest(`Appointment with id ${id} not found`);
  return {
    status: 200,
    body: {
      event: {
        id: a.id,
        address: a.address,
        title: a.title,
        calendarId: a.calendarId,
        locationId: a.locationId,
        contactId: a.contactId,
        groupId: a.groupId,
        appointmentStatus: a.appointmentStatus,
        assignedUserId: a.assignedUserId,
        users: [...a.users],
        notes: a.notes,
        isRecurring: false,
        startTime: a.startTime,
        endTime: a.endTime,
        dateAdded: a.dateAdded,
        dateUpdated: a.dateUpdated,
        assignedResources: [...a.assignedResources],
      },
    },
  };
}

export const APPOINTMENT_HANDLERS: Record<string, Handler> = {
  'contacts:get-appointments-for-contact': contactAppointments,
  'calendars:get-appointment': getAppointment,
};
