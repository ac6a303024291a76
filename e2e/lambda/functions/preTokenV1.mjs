// Pre token generation V1_0 (the legacy PreTokenGeneration slot): a
// string claim in the ID token and the groups replaced.
export const handler = async (event) => {
  event.response = {
    claimsOverrideDetails: {
      claimsToAddOrOverride: { department: 'sales' },
      groupOverrideDetails: { groupsToOverride: ['sales-team'] },
    },
  };
  return event;
};
