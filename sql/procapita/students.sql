-- PC-3 students with a placement, not ended before @syncDate, in a class of a configured school.
-- Parameters: @schoolIds nvarchar(max) (comma-separated), @syncDate date.
-- For a student with protected identity or protected address only the id and the flags leave the
-- database: names, national id and e-mail are NULL. The platform then counts the student, nothing else.
SELECT
  st.student_id AS studentId,
  CASE WHEN st.protected_identity = 1 OR st.protected_address = 1 THEN NULL ELSE st.national_id END AS nationalId,
  CASE WHEN st.protected_identity = 1 OR st.protected_address = 1 THEN NULL ELSE st.first_name END AS firstName,
  CASE WHEN st.protected_identity = 1 OR st.protected_address = 1 THEN NULL ELSE st.last_name END AS lastName,
  CASE WHEN st.protected_identity = 1 OR st.protected_address = 1 THEN NULL ELSE st.email END AS email,
  st.protected_identity AS protectedIdentity,
  st.protected_address AS protectedAddress,
  st.deregistered AS deregistered,
  st.deceased AS deceased
FROM integration.pc_student AS st
WHERE EXISTS (
  SELECT 1
  FROM integration.pc_class_placement AS p
  INNER JOIN integration.pc_class AS c ON c.class_id = p.class_id
  WHERE p.student_id = st.student_id
    AND c.school_id IN (SELECT value FROM STRING_SPLIT(@schoolIds, ','))
    AND (p.end_date IS NULL OR p.end_date >= @syncDate)
)
