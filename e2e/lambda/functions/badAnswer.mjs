// A pre sign-up function of the wrong shape: autoConfirmUser must be a
// boolean.
export const handler = async (event) => {
  event.response.autoConfirmUser = 'yes please';
  return event;
};
