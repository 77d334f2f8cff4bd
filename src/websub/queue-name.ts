/** The BullMQ queue every syndication job (verify, publish fan-out, delivery) runs on. */
export const SYNDICATION_QUEUE = 'syndication';
